using System.Buffers;
using System.Buffers.Binary;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// The few pieces of the Thrift compact protocol needed to write Parquet page headers and column chunks and to move
/// footers' offsets. Parquet.Net keeps its own codec internal, so <see cref="ParquetPartStitcher"/> and
/// <see cref="FooterOffsetMover"/> walk the bytes with these: a field is read as (id, type) and its value either
/// copied as raw bytes or decoded where it has to change.
/// </summary>
internal static class ThriftCompact
{
    public const byte FieldStop = 0;
    public const byte BoolTrue = 1;
    public const byte BoolFalse = 2;
    public const byte Byte = 3;
    public const byte I16 = 4;
    public const byte I32 = 5;
    public const byte I64 = 6;
    public const byte Double = 7;
    public const byte Binary = 8;
    public const byte List = 9;
    public const byte Set = 10;
    public const byte Map = 11;
    public const byte Struct = 12;

    // Parquet metadata nests a handful of levels; a deeper input is not one Parquet.Net wrote.
    private const int MaxDepth = 32;

    /// <summary>
    /// Skips one struct starting at <paramref name="pos"/>; false when <paramref name="data"/> ends before it does (the
    /// rest has not been written yet). Cost is per field, not per byte: binaries are stepped over by their length.
    /// </summary>
    public static bool TrySkipStruct(ReadOnlySpan<byte> data, ref int pos) => TrySkipValue(data, ref pos, Struct, 0);

    public static bool TrySkipValue(ReadOnlySpan<byte> data, ref int pos, byte type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Malformed("nesting too deep");
        }

        switch (type)
        {
            case BoolTrue:
            case BoolFalse:
                // A bool field carries its value in the type nibble; a bool inside a list is one byte, see TrySkipElement.
                return true;
            case Byte:
                return Advance(data, ref pos, 1);
            case Double:
                return Advance(data, ref pos, 8);
            case I16:
            case I32:
            case I64:
                return TryReadVarint(data, ref pos, out _);
            case Binary:
                if (!TryReadVarint(data, ref pos, out ulong length))
                {
                    return false;
                }

                return length <= int.MaxValue ? Advance(data, ref pos, (long)length) : throw Malformed("binary too long");
            case List:
            case Set:
                {
                    if (!TryReadListHeader(data, ref pos, out int count, out byte elementType))
                    {
                        return false;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        if (!TrySkipElement(data, ref pos, elementType, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case Map:
                {
                    if (!TryReadVarint(data, ref pos, out ulong count))
                    {
                        return false;
                    }

                    if (count == 0)
                    {
                        return true;
                    }

                    if (pos >= data.Length)
                    {
                        return false;
                    }

                    byte kinds = data[pos++];
                    for (ulong i = 0; i < count; i++)
                    {
                        if (!TrySkipElement(data, ref pos, (byte)(kinds >> 4), depth + 1) || !TrySkipElement(data, ref pos, (byte)(kinds & 0x0F), depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case Struct:
                {
                    short lastId = 0;
                    while (true)
                    {
                        if (!TryReadFieldHeader(data, ref pos, ref lastId, out byte fieldType, out _))
                        {
                            return false;
                        }

                        if (fieldType == FieldStop)
                        {
                            return true;
                        }

                        if (!TrySkipValue(data, ref pos, fieldType, depth + 1))
                        {
                            return false;
                        }
                    }
                }

            default:
                throw Malformed($"unknown type {type}");
        }
    }

    public static bool TrySkipElement(ReadOnlySpan<byte> data, ref int pos, byte type, int depth) =>
        type is BoolTrue or BoolFalse ? Advance(data, ref pos, 1) : TrySkipValue(data, ref pos, type, depth);

    /// <summary>Reads a field header; <paramref name="type"/> is <see cref="FieldStop"/> at the end of a struct.</summary>
    /// <summary>
    /// Reads the next field header of a struct: false at the struct's stop byte. A struct cut off before its stop is
    /// malformed, "truncated <paramref name="what"/>".
    /// </summary>
    public static bool NextField(ReadOnlySpan<byte> data, ref int pos, ref short lastId, string what, out byte type, out short id)
    {
        if (!TryReadFieldHeader(data, ref pos, ref lastId, out type, out id))
        {
            throw Malformed($"truncated {what}");
        }

        return type != FieldStop;
    }

    public static bool TryReadFieldHeader(ReadOnlySpan<byte> data, ref int pos, ref short lastId, out byte type, out short id)
    {
        id = 0;
        type = FieldStop;
        if (pos >= data.Length)
        {
            return false;
        }

        byte header = data[pos++];
        type = (byte)(header & 0x0F);
        if (type == FieldStop)
        {
            return true;
        }

        int delta = header >> 4;
        if (delta != 0)
        {
            id = (short)(lastId + delta);
        }
        else
        {
            if (!TryReadVarint(data, ref pos, out ulong raw))
            {
                return false;
            }

            id = (short)Unzigzag(raw);
        }

        lastId = id;
        return true;
    }

    public static bool TryReadListHeader(ReadOnlySpan<byte> data, ref int pos, out int count, out byte elementType)
    {
        count = 0;
        elementType = 0;
        if (pos >= data.Length)
        {
            return false;
        }

        byte header = data[pos++];
        elementType = (byte)(header & 0x0F);
        count = header >> 4;
        if (count == 15)
        {
            if (!TryReadVarint(data, ref pos, out ulong size))
            {
                return false;
            }

            count = size <= int.MaxValue ? (int)size : throw Malformed("list too long");
        }

        return true;
    }

    public static bool TryReadVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length)
            {
                return false;
            }

            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        throw Malformed("varint too long");
    }

    public static long Unzigzag(ulong raw) => (long)(raw >> 1) ^ -(long)(raw & 1);

    public static ulong Zigzag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>Reads the bytes of a binary value whose completeness was checked already.</summary>
    public static ReadOnlySpan<byte> ReadBinary(ReadOnlySpan<byte> data, scoped ref int pos)
    {
        if (!TryReadVarint(data, ref pos, out ulong length) || (long)length > data.Length - pos)
        {
            throw Malformed("truncated binary");
        }

        var bytes = data.Slice(pos, (int)length);
        pos += (int)length;
        return bytes;
    }

    public static long ReadInteger(ReadOnlySpan<byte> data, ref int pos) =>
        TryReadVarint(data, ref pos, out ulong raw) ? Unzigzag(raw) : throw Malformed("truncated integer");

    /// <summary>
    /// Copies one field's value as its raw bytes: a field that stays as it is costs a skip and a copy, no decode, and
    /// fields this code does not know survive unchanged.
    /// </summary>
    public static void CopyValue(ReadOnlySpan<byte> data, ref int pos, IBufferWriter<byte> output, byte type, int depth)
    {
        int start = pos;
        if (!TrySkipValue(data, ref pos, type, depth))
        {
            throw Malformed("truncated value");
        }

        output.Write(data[start..pos]);
    }

    /// <summary>As <see cref="CopyValue"/> for one element of a list, where a bool takes a byte of its own.</summary>
    public static void CopyElement(ReadOnlySpan<byte> data, ref int pos, IBufferWriter<byte> output, byte type, int depth)
    {
        int start = pos;
        if (!TrySkipElement(data, ref pos, type, depth))
        {
            throw Malformed("truncated list element");
        }

        output.Write(data[start..pos]);
    }

    public static void WriteFieldHeader(IBufferWriter<byte> output, byte type, short id, ref short lastId)
    {
        int delta = id - lastId;
        if (delta is > 0 and <= 15)
        {
            WriteByte(output, (byte)((delta << 4) | type));
        }
        else
        {
            WriteByte(output, type);
            WriteVarint(output, Zigzag(id));
        }

        lastId = id;
    }

    public static void WriteListHeader(IBufferWriter<byte> output, int count, byte elementType)
    {
        if (count < 15)
        {
            WriteByte(output, (byte)((count << 4) | elementType));
        }
        else
        {
            WriteByte(output, (byte)(0xF0 | elementType));
            WriteVarint(output, (ulong)count);
        }
    }

    public static void WriteInteger(IBufferWriter<byte> output, long value) => WriteVarint(output, Zigzag(value));

    /// <summary>An i16, i32 or i64 field: its header and its value.</summary>
    public static void WriteIntegerField(IBufferWriter<byte> output, byte type, short id, long value, ref short lastId)
    {
        WriteFieldHeader(output, type, id, ref lastId);
        WriteInteger(output, value);
    }

    public static void WriteBinary(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        Span<byte> span = output.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    public static void WriteInt32LittleEndian(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static EtlException Malformed(string what) => new(EtlErrors.ParquetMetadataRewrite, $"Parquet metadata could not be re-encoded ({what}).",
        "Report this with the input's column types; converting to NDJSON is not affected.");

    private static bool Advance(ReadOnlySpan<byte> data, ref int pos, long count)
    {
        if (count > data.Length - pos)
        {
            return false;
        }

        pos += (int)count;
        return true;
    }
}
