using System.Runtime.CompilerServices;
using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// One column of a batch of rows, stored the way Parquet wants it: dense non-null values plus one definition level
/// per row (0 = null, 1 = value). Buffers are allocated once per batch and reused for every row group, so the parse
/// loop allocates nothing per value (strings are kept as chars until the writer needs them).
/// </summary>
internal abstract class ColumnBuffer
{
    protected ColumnBuffer(ColumnDefinition definition, int capacity, bool quoted)
    {
        Definition = definition;
        DefinitionLevels = new int[capacity];
        Quoted = quoted;
    }

    /// <summary>Whether fields may be RFC 4180 quoted; without quoting a quote is an ordinary character.</summary>
    protected bool Quoted { get; }

    public ColumnDefinition Definition { get; }

    public int[] DefinitionLevels { get; }

    /// <summary>How many non-null values are stored.</summary>
    public int ValueCount { get; protected set; }

    public static ColumnBuffer Create(ColumnDefinition definition, int capacity, bool quoted = true) => definition.Type switch
    {
        ColumnType.String => new StringColumnBuffer(definition, capacity, quoted),
        ColumnType.Int32 => new ValueColumnBuffer<int>(definition, capacity, quoted, ValueParser.TryParseInt32),
        ColumnType.Int64 => new ValueColumnBuffer<long>(definition, capacity, quoted, ValueParser.TryParseInt64),
        ColumnType.Double => new ValueColumnBuffer<double>(definition, capacity, quoted, ValueParser.TryParseDouble),
        ColumnType.Boolean => new ValueColumnBuffer<bool>(definition, capacity, quoted, ValueParser.TryParseBoolean),
        ColumnType.Date => new ValueColumnBuffer<DateOnly>(definition, capacity, quoted, ValueParser.TryParseDate),
        ColumnType.Timestamp => new ValueColumnBuffer<DateTime>(definition, capacity, quoted, ValueParser.TryParseTimestamp),
        _ => throw new ArgumentOutOfRangeException(nameof(definition)),
    };

    /// <summary>Appends the raw field as row <paramref name="row"/>; false when it does not parse as the column's type.</summary>
    public abstract bool TryAppend(ReadOnlySpan<char> raw, int row);

    private char[] _unquoted = new char[64];

    /// <summary>
    /// A quoted field's content with "" made ", in a scratch buffer reused for every value; other fields as they are.
    /// False for a malformed quoted field; an unquoted one with a stray quote fails the typed parse on its own.
    /// </summary>
    protected bool TryUnquote(ReadOnlySpan<char> raw, out ReadOnlySpan<char> value)
    {
        if (!Quoted || !FieldText.IsQuoted(raw))
        {
            value = raw;
            return true;
        }

        if (_unquoted.Length < raw.Length)
        {
            _unquoted = new char[raw.Length];
        }

        int n = FieldText.Unescape(raw, _unquoted);
        value = n < 0 ? default : _unquoted.AsSpan(0, n);
        return n >= 0;
    }

    public virtual void Clear() => ValueCount = 0;

    /// <summary>
    /// Takes back row <paramref name="row"/>, the last one appended: a rejected row's values must not stay behind.
    /// Its definition level says whether it added a value, so nothing needs remembering per row.
    /// </summary>
    public virtual void RemoveRow(int row)
    {
        if (DefinitionLevels[row] == 1)
        {
            ValueCount--;
        }
    }
}

internal delegate bool SpanParser<T>(ReadOnlySpan<char> text, out T value);

internal sealed class ValueColumnBuffer<T> : ColumnBuffer
    where T : struct
{
    private readonly SpanParser<T> _parse;
    public ValueColumnBuffer(ColumnDefinition definition, int capacity, bool quoted, SpanParser<T> parse)
        : base(definition, capacity, quoted)
    {
        Values = new T[capacity];
        _parse = parse;
    }

    public T[] Values { get; }

    public override bool TryAppend(ReadOnlySpan<char> raw, int row)
    {
        // Integer and decimal columns: a field of plain digits (nearly every one) is read right here, without the
        // unquote check and the parser delegate, as is the word true or false in a boolean column; typeof(T) is a
        // constant in each instantiation, so other columns do not pay for it.
        if ((typeof(T) == typeof(long) || typeof(T) == typeof(int)) && ValueParser.TrySimpleInteger(raw, typeof(T) == typeof(int) ? 9 : 18, out long integer))
        {
            DefinitionLevels[row] = 1;
            if (typeof(T) == typeof(long))
            {
                Values[ValueCount++] = Unsafe.As<long, T>(ref integer);
            }
            else
            {
                int narrow = (int)integer;
                Values[ValueCount++] = Unsafe.As<int, T>(ref narrow);
            }

            return true;
        }

        if (typeof(T) == typeof(double) && ValueParser.TrySimpleDecimal(raw, out double simple))
        {
            DefinitionLevels[row] = 1;
            Values[ValueCount++] = Unsafe.As<double, T>(ref simple);
            return true;
        }

        if (typeof(T) == typeof(bool) && ValueParser.TryBooleanWord(raw, out bool word))
        {
            DefinitionLevels[row] = 1;
            Values[ValueCount++] = Unsafe.As<bool, T>(ref word);
            return true;
        }

        if (!TryUnquote(raw, out raw))
        {
            return false;
        }

        if (raw.IsEmpty)
        {
            DefinitionLevels[row] = 0;
            return true;
        }

        if (!_parse(raw, out var value))
        {
            return false;
        }

        DefinitionLevels[row] = 1;
        Values[ValueCount++] = value;
        return true;
    }
}

/// <summary>Strings as one growing char array with start/length per value: no string objects in the parse loop.</summary>
internal class StringColumnBuffer : ColumnBuffer
{
    public StringColumnBuffer(ColumnDefinition definition, int capacity, bool quoted)
        : base(definition, capacity, quoted)
    {
        Starts = new int[capacity];
        Lengths = new int[capacity];
        Chars = new char[Math.Max(1024, capacity * 8)];
    }

    public char[] Chars { get; private set; }

    public int CharCount { get; private set; }

    public int[] Starts { get; }

    public int[] Lengths { get; }

    public ReadOnlySpan<char> ValueAt(int index) => Chars.AsSpan(Starts[index], Lengths[index]);

    public override bool TryAppend(ReadOnlySpan<char> raw, int row)
    {
        if (raw.IsEmpty)
        {
            DefinitionLevels[row] = 0;
            return true;
        }

        EnsureRoom(raw.Length);
        int start = CharCount;
        int length;
        if (Quoted && raw[0] == '"')
        {
            // Unescape checks the quotes it already walks over; a field cut off by the end of the file does not end in one.
            length = raw.Length >= 2 && raw[^1] == '"' ? FieldText.Unescape(raw, Chars.AsSpan(start)) : -1;
            if (length < 0)
            {
                return false;
            }
        }
        else
        {
            // A quote inside an unquoted field made the parser open a quoted section there, so the field may hold the
            // rest of the file: refuse it. One vectorized search over chars that are copied next anyway.
            if (Quoted && raw.Contains('"'))
            {
                return false;
            }

            raw.CopyTo(Chars.AsSpan(start));
            length = raw.Length;
        }

        Commit(start, length, row);
        return true;
    }

    /// <summary>Records the chars at start..start+length as the value of <paramref name="row"/>.</summary>
    protected void Commit(int start, int length, int row)
    {
        CharCount = start + length;
        Starts[ValueCount] = start;
        Lengths[ValueCount] = length;
        ValueCount++;
        DefinitionLevels[row] = 1;
    }

    public override void Clear()
    {
        base.Clear();
        CharCount = 0;
    }

    public override void RemoveRow(int row)
    {
        if (DefinitionLevels[row] == 1)
        {
            base.RemoveRow(row);
            CharCount = Starts[ValueCount];
        }
    }

    protected void EnsureRoom(int needed)
    {
        if (CharCount + needed > Chars.Length)
        {
            var bigger = new char[Math.Max(Chars.Length * 2, CharCount + needed)];
            Chars.AsSpan(0, CharCount).CopyTo(bigger);
            Chars = bigger;
        }
    }
}
