using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Schema;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Output;

/// <summary>
/// Writes each CSV row straight from the parser's fields to one JSON object per line, as UTF-8 bytes. There is no
/// columnar stage for NDJSON: the profile showed copying every field into column buffers and back out (and parsing
/// dates and times into values only to print them again) cost more than parsing the CSV. A field already written the
/// way System.Text.Json writes its value is copied as it is: integers and decimals in canonical form (see
/// <see cref="JsonNumberText"/>), yyyy-MM-dd dates, yyyy-MM-dd[T ]HH:mm:ss timestamps; anything else valid is parsed and
/// formatted once. A string of printable ASCII without quotes or backslashes (nearly all CSV text) is copied byte for
/// char; any other goes through Utf8JsonWriter with the relaxed encoder, so non-ASCII text (Korean names, accents) stays
/// readable UTF-8 while quotes, backslashes and control characters are escaped exactly as System.Text.Json does.
/// A row that fails to convert leaves nothing behind: the buffer is cut back to where the row began.
/// </summary>
internal sealed class NdjsonRowWriter : IRowEncoder, IDisposable
{
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        Enumerable.Range(0x20, 0x7F - 0x20).Select(i => (char)i).Where(c => c is not '"' and not '\\').ToArray());

    private readonly int _flushBytes;
    private readonly bool _quoted;
    private readonly byte[][] _prefixes;
    private readonly int[] _prefixLengths;
    private readonly ColumnType[] _types;
    private readonly int[] _fieldOf;
    private readonly int _fixedBytesPerRow;

    // What the row being written may still need, but for escapes: room for it is made again after an escaped string.
    private int _rowBound;
    private byte[] _buffer;
    private int _length;
    private char[] _unquoted = new char[64];

    // Only for strings that need escaping; writes one string value at a time.
    private readonly ArrayBufferWriter<byte> _escaped = new(256);
    private readonly Utf8JsonWriter _encoder;

    /// <param name="fieldOf">For each schema column, the index of its field in a row.</param>
    /// <param name="flushBytes">When <see cref="IsFull"/> turns true: the size of one piece of output.</param>
    public NdjsonRowWriter(TableSchema schema, int[] fieldOf, bool quoted, int flushBytes)
    {
        _fieldOf = fieldOf;
        _quoted = quoted;
        _flushBytes = flushBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(flushBytes + (64 * 1024));
        _encoder = new Utf8JsonWriter(_escaped, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });

        // {"first": ,"second": ... : each column's name with the punctuation before it, encoded once.
        // Padded to whole 16-byte blocks, which are copied as such: a call to copy ten bytes cost more than the copy.
        var prefixes = schema.Columns.Select((c, i) =>
        {
            string name = JsonEncodedText.Encode(c.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
            return Encoding.UTF8.GetBytes($"{(i == 0 ? "{" : ",")}\"{name}\":");
        }).ToArray();
        _prefixLengths = prefixes.Select(p => p.Length).ToArray();
        _prefixes = prefixes.Select(p => p.Concat(new byte[(16 - (p.Length % 16)) % 16]).ToArray()).ToArray();
        _types = schema.Columns.Select(c => c.Type).ToArray();

        // Per column: its name (in whole blocks), null or the longest formatted value that is not a copy of the field
        // (a double is at most 24 chars), and "}\n". Copied fields add at most three bytes per char (UTF-16 -> UTF-8),
        // reserved per row.
        _fixedBytesPerRow = _prefixes.Sum(p => p.Length + 34) + 3;
    }

    public int Count { get; private set; }

    public bool IsFull => _length >= _flushBytes;

    public int TryAppend(SepReader.Row row)
    {
        int start = _length;
        _rowBound = _fixedBytesPerRow + (3 * row.Span.Length);
        Reserve(_rowBound);
        var types = _types;
        for (int c = 0; c < types.Length; c++)
        {
            AppendPrefix(c);
            var raw = row[_fieldOf[c]].Span;
            bool ok = types[c] switch
            {
                ColumnType.String => TryWriteString(raw),
                ColumnType.Int32 => TryWriteInteger(raw, 9, int32: true),
                ColumnType.Int64 => TryWriteInteger(raw, 18, int32: false),
                ColumnType.Double => TryWriteDouble(raw),
                ColumnType.Boolean => TryWriteBoolean(raw),
                ColumnType.Date => TryWriteDate(raw),
                _ => TryWriteTimestamp(raw),
            };

            if (!ok)
            {
                _length = start;
                return c;
            }
        }

        if (types.Length == 0)
        {
            Append("{"u8);
        }

        Append("}\n"u8);
        Count++;
        return -1;
    }

    /// <summary>Hands over the written lines (a buffer from the shared pool: return it) and starts an empty one.</summary>
    public EncodedPiece TakeEncoded()
    {
        var full = _buffer;
        var piece = new EncodedPiece(full, _length, Count, () => ArrayPool<byte>.Shared.Return(full));
        _buffer = ArrayPool<byte>.Shared.Rent(_flushBytes + (64 * 1024));
        _length = 0;
        Count = 0;
        return piece;
    }

    public void Dispose()
    {
        _encoder.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private bool TryWriteString(ReadOnlySpan<char> raw)
    {
        if (raw.IsEmpty)
        {
            Append("null"u8);
            return true;
        }

        if (_quoted && raw[0] == '"')
        {
            // Unescape checks the quotes it already walks over; a field cut off by the end of the file does not end in one.
            if (raw.Length < 2 || raw[^1] != '"')
            {
                return false;
            }

            var scratch = Scratch(raw.Length);
            int n = FieldText.Unescape(raw, scratch);
            if (n < 0)
            {
                return false;
            }

            WriteString(scratch.AsSpan(0, n));
            return true;
        }

        // Nearly every field is plain: copied and checked in one pass.
        if (TryQuotedPlain(raw))
        {
            return true;
        }

        // One search finds both what needs escaping and a quote: a quote inside an unquoted field made the parser
        // open a quoted section there, so the field may hold the rest of the file: refuse it.
        int special = raw.IndexOfAnyExcept(PlainAscii);
        if (_quoted && raw[special..].Contains('"'))
        {
            return false;
        }

        WriteEscapedString(raw);
        return true;
    }

    private void WriteString(ReadOnlySpan<char> value)
    {
        if (!TryQuotedPlain(value))
        {
            WriteEscapedString(value);
        }
    }

    // Printable ASCII without quote or backslash, one byte per char with nothing to escape, written in quotes; false,
    // with nothing written, for any other text.
    private bool TryQuotedPlain(ReadOnlySpan<char> value)
    {
        var span = _buffer.AsSpan(_length);
        if (!TryNarrow(value, span[1..], plainOnly: true))
        {
            return false;
        }

        span[0] = (byte)'"';
        span[value.Length + 1] = (byte)'"';
        _length += value.Length + 2;
        return true;
    }

    private void WriteEscapedString(ReadOnlySpan<char> value)
    {
        _escaped.ResetWrittenCount();
        _encoder.Reset();
        _encoder.WriteStringValue(value);
        _encoder.Flush();

        // An escape is up to six bytes per char (\u0001, and \uD83D\uDE00 for an emoji), beyond the row's bound.
        Reserve(_escaped.WrittenCount + _rowBound);
        Append(_escaped.WrittenSpan);
    }

    // A field quoted as "..." with "" for each quote: its content, in a scratch buffer reused for every value. Other
    // fields as they are. False for a malformed quoted field.
    private bool TryUnquote(ref ReadOnlySpan<char> raw)
    {
        if (!_quoted || !FieldText.IsQuoted(raw))
        {
            return true;
        }

        var scratch = Scratch(raw.Length);
        int n = FieldText.Unescape(raw, scratch);
        raw = n < 0 ? default : scratch.AsSpan(0, n);
        return n >= 0;
    }

    private char[] Scratch(int length)
    {
        if (_unquoted.Length < length)
        {
            _unquoted = new char[length];
        }

        return _unquoted;
    }

    private bool TryWriteInteger(ReadOnlySpan<char> raw, int maxDigits, bool int32)
    {
        // A typed field may be quoted ("12"); unquoted and empty, it is null. Checked in each writer, not once
        // before the switch: that cost 2 % of narrow NDJSON.
        if (!TryUnquote(ref raw))
        {
            return false;
        }

        if (raw.IsEmpty)
        {
            return AppendNull();
        }

        if (JsonNumberText.IsCanonicalInteger(raw, maxDigits))
        {
            WriteAscii(raw);
            return true;
        }

        if (int32)
        {
            if (!ValueParser.TryParseInt32(raw, out int i32))
            {
                return false;
            }

            Format(i32);
            return true;
        }

        if (!ValueParser.TryParseInt64(raw, out long i64))
        {
            return false;
        }

        Format(i64);
        return true;
    }

    private bool TryWriteDouble(ReadOnlySpan<char> raw)
    {
        if (!TryUnquote(ref raw))
        {
            return false;
        }

        if (raw.IsEmpty)
        {
            return AppendNull();
        }

        if (JsonNumberText.IsCanonical(raw))
        {
            WriteAscii(raw);
            return true;
        }

        if (!ValueParser.TryParseDouble(raw, out double value))
        {
            return false;
        }

        if (double.IsFinite(value))
        {
            Format(value);
        }
        else
        {
            // JSON has no NaN or Infinity: written as strings, the form .NET and JavaScript print.
            WriteString(value.ToString(CultureInfo.InvariantCulture));
        }

        return true;
    }

    private bool TryWriteBoolean(ReadOnlySpan<char> raw)
    {
        if (!TryUnquote(ref raw))
        {
            return false;
        }

        if (raw.IsEmpty)
        {
            return AppendNull();
        }

        if (!ValueParser.TryParseBoolean(raw, out bool value))
        {
            return false;
        }

        Append(value ? "true"u8 : "false"u8);
        return true;
    }

    private bool TryWriteDate(ReadOnlySpan<char> raw)
    {
        if (!TryUnquote(ref raw))
        {
            return false;
        }

        if (raw.IsEmpty)
        {
            return AppendNull();
        }

        if (ValueParser.IsIsoDate(raw))
        {
            // Already yyyy-MM-dd, and a real day: the output is the field in quotes.
            Quoted(raw);
            return true;
        }

        if (!ValueParser.TryParseDate(raw, out var date))
        {
            return false;
        }

        WriteDate(date);
        return true;
    }

    private bool TryWriteTimestamp(ReadOnlySpan<char> raw)
    {
        if (!TryUnquote(ref raw))
        {
            return false;
        }

        if (raw.IsEmpty)
        {
            return AppendNull();
        }

        if (ValueParser.IsIsoTimestamp(raw))
        {
            // yyyy-MM-dd[T ]HH:mm:ss[Z], checked here: as System.Text.Json writes it, with T and Z.
            var span = _buffer.AsSpan(_length, 22);
            span[0] = (byte)'"';
            System.Text.Ascii.FromUtf16(raw[..19], span[1..], out _);
            span[11] = (byte)'T';
            span[20] = (byte)'Z';
            span[21] = (byte)'"';
            _length += 22;
            return true;
        }

        if (!ValueParser.TryParseTimestamp(raw, out var value))
        {
            return false;
        }

        WriteTimestamp(value);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool AppendNull()
    {
        Append("null"u8);
        return true;
    }

    // ASCII text checked by the caller (a date or a timestamp) in quotes.
    private void Quoted(ReadOnlySpan<char> ascii)
    {
        var span = _buffer.AsSpan(_length);
        span[0] = (byte)'"';
        TryNarrow(ascii, span[1..], plainOnly: false);
        span[ascii.Length + 1] = (byte)'"';
        _length += ascii.Length + 2;
    }

    // Text that is already JSON, all ASCII (checked by the caller).
    private void WriteAscii(ReadOnlySpan<char> json)
    {
        TryNarrow(json, _buffer.AsSpan(_length), plainOnly: false);
        _length += json.Length;
    }

    /// <summary>
    /// Chars to bytes, one each, for fields of a few to a few dozen chars: Ascii.FromUtf16, made for long text, cost
    /// more in its set-up than in its copy (9 % of narrow NDJSON). Eight chars at a time, the last eight overlapping
    /// those before, so nothing is read or written outside the field; below eight, one at a time. With
    /// <paramref name="plainOnly"/> it stops, returning false, at anything but printable ASCII other than '"' and '\';
    /// without, the caller has checked the text is ASCII.
    /// </summary>
    private static bool TryNarrow(ReadOnlySpan<char> chars, Span<byte> bytes, bool plainOnly)
    {
        if (bytes.Length < chars.Length)
        {
            throw new ArgumentException("no room for the field", nameof(bytes));
        }

        int length = chars.Length;
        if (length < 8)
        {
            for (int i = 0; i < length; i++)
            {
                char c = chars[i];
                if (plainOnly && (c is < ' ' or > '~' or '"' or '\\'))
                {
                    return false;
                }

                bytes[i] = (byte)c;
            }

            return true;
        }

        ref ushort source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(chars));
        ref byte target = ref MemoryMarshal.GetReference(bytes);
        int last = length - 8;
        for (int i = 0; ; i += 8)
        {
            i = Math.Min(i, last);
            var block = Vector128.LoadUnsafe(ref source, (nuint)i);
            if (plainOnly)
            {
                // Printable is 0x20..0x7E: c - 0x20 below 0x5F, as unsigned.
                var outside = Vector128.GreaterThanOrEqual(block - Vector128.Create((ushort)' '), Vector128.Create((ushort)('~' - ' ' + 1)))
                    | Vector128.Equals(block, Vector128.Create((ushort)'"'))
                    | Vector128.Equals(block, Vector128.Create((ushort)'\\'));
                if (outside != Vector128<ushort>.Zero)
                {
                    return false;
                }
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i), Vector128.Narrow(block, block).AsUInt64().ToScalar());
            if (i == last)
            {
                return true;
            }
        }
    }

    private void Format<T>(T value)
        where T : IUtf8SpanFormattable
    {
        value.TryFormat(_buffer.AsSpan(_length), out int n, default, CultureInfo.InvariantCulture);
        _length += n;
    }

    // "yyyy-MM-dd" by hand: the custom-format path of DateOnly.TryFormat is slow for something this fixed.
    private void WriteDate(DateOnly value)
    {
        var span = _buffer.AsSpan(_length, 12);
        value.Deconstruct(out int year, out int month, out int day);
        span[0] = (byte)'"';
        Digits(span.Slice(1, 4), year);
        span[5] = (byte)'-';
        Digits(span.Slice(6, 2), month);
        span[8] = (byte)'-';
        Digits(span.Slice(9, 2), day);
        span[11] = (byte)'"';
        _length += 12;
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (int i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    // As System.Text.Json writes a UTC DateTime: yyyy-MM-ddTHH:mm:ss, then the fraction without trailing zeros, then Z.
    private void WriteTimestamp(DateTime value)
    {
        var span = _buffer.AsSpan(_length);
        span[0] = (byte)'"';
        Utf8Formatter.TryFormat(value, span[1..], out int n, new StandardFormat('O'));

        // 'O' gives yyyy-MM-ddTHH:mm:ss.fffffffZ (28 bytes); drop zero fraction digits, and the dot if all are zero.
        int fractionEnd = n - 1;
        while (fractionEnd > 20 && span[fractionEnd] == (byte)'0')
        {
            fractionEnd--;
        }

        if (fractionEnd == 20)
        {
            fractionEnd = 19; // only the dot is left
        }

        span[fractionEnd + 1] = (byte)'Z';
        span[fractionEnd + 2] = (byte)'"';
        _length += fractionEnd + 3;
    }

    private void AppendPrefix(int column)
    {
        var blocks = _prefixes[column];

        // The row's bound, reserved before its first prefix, holds every column's prefix in whole blocks; checked
        // once here rather than once per block (the checked copies were 9 % of narrow NDJSON).
        if (_length + blocks.Length > _buffer.Length)
        {
            throw new InvalidOperationException("row bound not reserved");
        }

        ref byte source = ref MemoryMarshal.GetArrayDataReference(blocks);
        ref byte target = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _length);
        for (int i = 0; i < blocks.Length; i += 16)
        {
            Vector128.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref target, (nuint)i);
        }

        _length += _prefixLengths[column];
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    // Room for `size` more bytes; called once per row with a bound on what the row can write (and by the escaping path).
    private void Reserve(int size)
    {
        if (_length + size > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }
}
