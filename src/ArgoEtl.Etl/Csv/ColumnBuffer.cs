using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// One column of a batch of rows, stored the way Parquet wants it: dense non-null values plus one definition level
/// per row (0 = null, 1 = value). Buffers are allocated once per batch and reused for every row group, so the parse
/// loop allocates nothing per value (strings are kept as chars until the writer needs them).
/// </summary>
internal abstract class ColumnBuffer
{
    protected ColumnBuffer(ColumnDefinition definition, int capacity)
    {
        Definition = definition;
        DefinitionLevels = new int[capacity];
    }

    public ColumnDefinition Definition { get; }

    public int[] DefinitionLevels { get; }

    /// <summary>How many non-null values are stored.</summary>
    public int ValueCount { get; protected set; }

    public static ColumnBuffer Create(ColumnDefinition definition, int capacity) => definition.Type switch
    {
        ColumnType.String => new StringColumnBuffer(definition, capacity),
        ColumnType.Int32 => new ValueColumnBuffer<int>(definition, capacity, ValueParser.TryParseInt32),
        ColumnType.Int64 => new ValueColumnBuffer<long>(definition, capacity, ValueParser.TryParseInt64),
        ColumnType.Double => new ValueColumnBuffer<double>(definition, capacity, ValueParser.TryParseDouble),
        ColumnType.Boolean => new ValueColumnBuffer<bool>(definition, capacity, ValueParser.TryParseBoolean),
        ColumnType.Date => new ValueColumnBuffer<DateOnly>(definition, capacity, ValueParser.TryParseDate),
        ColumnType.Timestamp => new ValueColumnBuffer<DateTime>(definition, capacity, ValueParser.TryParseTimestamp),
        _ => throw new ArgumentOutOfRangeException(nameof(definition)),
    };

    /// <summary>Appends the raw field as row <paramref name="row"/>; false when it does not parse as the column's type.</summary>
    public abstract bool TryAppend(ReadOnlySpan<char> raw, int row);

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
    private char[] _unquoted = new char[64];

    public ValueColumnBuffer(ColumnDefinition definition, int capacity, SpanParser<T> parse)
        : base(definition, capacity)
    {
        Values = new T[capacity];
        _parse = parse;
    }

    public T[] Values { get; }

    public override bool TryAppend(ReadOnlySpan<char> raw, int row)
    {
        if (FieldText.IsQuoted(raw))
        {
            if (_unquoted.Length < raw.Length)
            {
                _unquoted = new char[raw.Length];
            }

            raw = _unquoted.AsSpan(0, FieldText.Unescape(raw, _unquoted));
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
internal sealed class StringColumnBuffer : ColumnBuffer
{
    public StringColumnBuffer(ColumnDefinition definition, int capacity)
        : base(definition, capacity)
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
        if (FieldText.IsQuoted(raw))
        {
            length = FieldText.Unescape(raw, Chars.AsSpan(start));
        }
        else
        {
            raw.CopyTo(Chars.AsSpan(start));
            length = raw.Length;
        }

        CharCount += length;
        Starts[ValueCount] = start;
        Lengths[ValueCount] = length;
        ValueCount++;
        DefinitionLevels[row] = 1;
        return true;
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

    private void EnsureRoom(int needed)
    {
        if (CharCount + needed > Chars.Length)
        {
            var bigger = new char[Math.Max(Chars.Length * 2, CharCount + needed)];
            Chars.AsSpan(0, CharCount).CopyTo(bigger);
            Chars = bigger;
        }
    }
}
