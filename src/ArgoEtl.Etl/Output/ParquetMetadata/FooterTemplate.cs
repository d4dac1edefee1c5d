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
    public static void Write(ReadOnlySpan<byte> template, long rows, int rowGroupCount, ReadOnlySpan<byte> rowGroups, IBufferWriter<byte> footer) =>
        Copy(template, rows, rowGroupCount, rowGroups, footer, columnOrders: 0);

    /// <summary>
    /// <paramref name="footer"/> (a FileMetaData as Parquet.Net writes it, without column_orders) with column_orders
    /// (7) added: TYPE_ORDER for each of <paramref name="leaves"/> columns. parquet.thrift leaves min_value and
    /// max_value undefined without it, and Arrow C++ then ignores them, which for strings (whose deprecated min/max
    /// are not written) would mean no statistics at all. Every column is ordered as its type says: strings as
    /// unsigned bytes, numbers, dates and timestamps as signed values, as both Parquet.Net and this writer compare them.
    /// </summary>
    public static byte[] WithTypeDefinedOrders(ReadOnlySpan<byte> footer, int leaves)
    {
        var output = new ArrayBufferWriter<byte>(footer.Length + (3 * leaves) + 8);
        Copy(footer, rows: null, 0, default, output, leaves);
        return output.WrittenSpan.ToArray();
    }

    // Copies the FileMetaData, replacing num_rows and row_groups unless rows is null, and adding column_orders for
    // that many leaves unless zero. Field ids ascend and Parquet.Net writes none above 6, so column_orders (7) goes
    // right before the stop.
    private static void Copy(ReadOnlySpan<byte> template, long? rows, int rowGroupCount, ReadOnlySpan<byte> rowGroups, IBufferWriter<byte> footer, int columnOrders)
    {
        int pos = 0;
        short lastIn = 0;
        short lastOut = 0;
        while (true)
        {
            TryReadFieldHeader(template, ref pos, ref lastIn, out byte type, out short id);
            if (type == FieldStop)
            {
                if (columnOrders > 0)
                {
                    // ColumnOrder is a union whose TYPE_ORDER (1) is an empty TypeDefinedOrder struct.
                    WriteFieldHeader(footer, List, 7, ref lastOut);
                    WriteListHeader(footer, columnOrders, Struct);
                    for (int i = 0; i < columnOrders; i++)
                    {
                        short lastInOrder = 0;
                        WriteFieldHeader(footer, Struct, 1, ref lastInOrder);
                        WriteByte(footer, FieldStop);
                        WriteByte(footer, FieldStop);
                    }
                }

                WriteByte(footer, FieldStop);
                return;
            }

            if (id >= 7 && columnOrders > 0)
            {
                throw Malformed($"Parquet.Net's footer has a field {id}, where column_orders was to be added last");
            }

            WriteFieldHeader(footer, type, id, ref lastOut);
            if (id == 3 && type == I64 && rows is { } rowCount)
            {
                ReadInteger(template, ref pos);
                WriteInteger(footer, rowCount);
            }
            else if (id == 4 && type == List && rows is not null)
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
