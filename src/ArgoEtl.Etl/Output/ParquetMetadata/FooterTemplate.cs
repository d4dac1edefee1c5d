using System.Buffers;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// A footer (FileMetaData) made from another one with its num_rows (3) and row_groups (4) replaced and every other
/// field (version, schema, created_by, fields this code does not know) copied as raw bytes: how parts are joined, and
/// how a row group written here gets the schema Parquet.Net writes for its column types.
/// </summary>
internal static class FooterTemplate
{
    /// <summary>
    /// Writes <paramref name="template"/> (a FileMetaData already checked) with <paramref name="rows"/> and the
    /// <paramref name="rowGroupCount"/> RowGroup structs in <paramref name="rowGroups"/>, encoded one after another.
    /// </summary>
    public static void Write(ReadOnlySpan<byte> template, long rows, int rowGroupCount, ReadOnlySpan<byte> rowGroups, IBufferWriter<byte> footer)
    {
        int pos = 0;
        short lastIn = 0;
        short lastOut = 0;
        while (true)
        {
            TryReadFieldHeader(template, ref pos, ref lastIn, out byte type, out short id);
            if (type == FieldStop)
            {
                WriteByte(footer, FieldStop);
                return;
            }

            WriteFieldHeader(footer, type, id, ref lastOut);
            if (id == 3 && type == I64)
            {
                ReadInteger(template, ref pos);
                WriteInteger(footer, rows);
            }
            else if (id == 4 && type == List)
            {
                TrySkipValue(template, ref pos, type, 1);
                WriteListHeader(footer, rowGroupCount, Struct);
                footer.Write(rowGroups);
            }
            else
            {
                CopyValue(template, ref pos, footer, type, 1);
            }
        }
    }
}
