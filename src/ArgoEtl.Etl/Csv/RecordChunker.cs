using System.Buffers;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// Cuts a CSV byte stream into chunks of whole records, so that each chunk can be parsed on a thread of its own. A
/// chunk ends right after a line feed that is outside quotes: quotes are followed through the whole stream, so a line
/// break inside a quoted field never ends a chunk, and a stray quote keeps the rest of its record in one chunk, where
/// the parser reports it. Every byte is looked at by vectorized searches (the quotes, and the line feeds between them
/// counted 4 KB at a time), so cutting costs a small fraction of parsing. Chunk buffers come from the shared pool;
/// give them back with <see cref="RecordChunk.Release"/>.
/// </summary>
internal sealed class RecordChunker
{
    private const int ReadBytes = 1 << 20;
    private const int CountBlock = 4096;

    private readonly Stream _input;
    private readonly bool _quoted;
    private byte[] _buffer;
    private int _length;
    private bool _eof;
    private bool _started;
    private int _nextIndex;
    private int _nextLine = 1;
    private int _typicalChunkBytes;

    /// <param name="quoted">Whether '"' quotes fields (RFC 4180); without quoting every line feed ends a record.</param>
    public RecordChunker(Stream input, bool quoted)
    {
        _input = input;
        _quoted = quoted;
        _buffer = ArrayPool<byte>.Shared.Rent(ReadBytes * 2);
    }

    /// <summary>
    /// The next chunk: up to <paramref name="maxRecords"/> whole records, cut early after the first record end past
    /// <paramref name="maxBytes"/> (one longer record is kept whole). The last chunk may end without a line feed. Null
    /// when the stream is done. A UTF-8 byte order mark at the start of the stream is dropped.
    /// </summary>
    public RecordChunk? Next(int maxRecords, int maxBytes)
    {
        int records = 0;
        int lastEnd = 0;
        int scanned = 0;
        bool inQuotes = false;
        while (true)
        {
            if (scanned < _length)
            {
                int limit = Math.Min(_length, scanned + (CountBlock * 16));
                scanned = Scan(limit, scanned, ref inQuotes, ref records, ref lastEnd, maxRecords);
                if (records == maxRecords || (lastEnd > 0 && lastEnd >= maxBytes))
                {
                    return Cut(lastEnd);
                }

                continue;
            }

            if (_eof)
            {
                return _length == 0 ? null : Cut(_length);
            }

            Fill();
        }
    }

    // Scans _buffer[from..limit) for record ends, until `maxRecords` are found; returns how far it got.
    private int Scan(int limit, int from, ref bool inQuotes, ref int records, ref int lastEnd, int maxRecords)
    {
        var data = _buffer.AsSpan(0, limit);
        int pos = from;
        while (pos < limit)
        {
            if (inQuotes)
            {
                int close = data[pos..].IndexOf((byte)'"');
                if (close < 0)
                {
                    return limit;
                }

                // A doubled quote inside a field closes and reopens: parity is all that matters.
                inQuotes = false;
                pos += close + 1;
                continue;
            }

            int open = _quoted ? data[pos..].IndexOf((byte)'"') : -1;
            int segmentEnd = open < 0 ? limit : pos + open;
            pos = CountRecordEnds(data, pos, segmentEnd, ref records, ref lastEnd, maxRecords);
            if (records == maxRecords)
            {
                return pos;
            }

            if (open < 0)
            {
                return limit;
            }

            inQuotes = true;
            pos = segmentEnd + 1;
        }

        return pos;
    }

    // Line feeds in data[from..to), none of them quoted: counted a block at a time, then found one by one only in the
    // block where the count would pass `maxRecords`.
    private static int CountRecordEnds(ReadOnlySpan<byte> data, int from, int to, ref int records, ref int lastEnd, int maxRecords)
    {
        int pos = from;
        while (pos < to)
        {
            int end = Math.Min(to, pos + CountBlock);
            var block = data[pos..end];
            int count = block.Count((byte)'\n');
            if (count == 0)
            {
                pos = end;
                continue;
            }

            if (records + count < maxRecords)
            {
                records += count;
                lastEnd = pos + block.LastIndexOf((byte)'\n') + 1;
                pos = end;
                continue;
            }

            while (records < maxRecords)
            {
                pos += data[pos..end].IndexOf((byte)'\n') + 1;
                records++;
            }

            lastEnd = pos;
            return pos;
        }

        return to;
    }

    private void Fill()
    {
        if (_buffer.Length - _length < ReadBytes)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        // A read at a time, not a buffer's worth: what is read past the cut is copied into the next chunk's buffer.
        int n = _input.Read(_buffer, _length, Math.Min(ReadBytes, _buffer.Length - _length));
        if (n == 0)
        {
            _eof = true;
            return;
        }

        int before = _length;
        _length += n;
        if (!_started && _length >= 3)
        {
            _started = true;
            if (before == 0 && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
            {
                _buffer.AsSpan(3, _length - 3).CopyTo(_buffer);
                _length -= 3;
            }
        }
    }

    // Hands over _buffer[0..end) as a chunk; what follows (the start of the next record) moves to a fresh buffer.
    private RecordChunk Cut(int end)
    {
        var chunkBuffer = _buffer;

        // The next chunk is likely the size of this one: a buffer that fits it from the start is never grown (growing
        // copies the chunk and leaves the smaller buffers in the pool, which is most of the memory otherwise).
        _typicalChunkBytes = Math.Max(_typicalChunkBytes, end);
        var rest = ArrayPool<byte>.Shared.Rent(Math.Max(_typicalChunkBytes, _length - end) + ReadBytes);
        chunkBuffer.AsSpan(end, _length - end).CopyTo(rest);
        _buffer = rest;
        _length -= end;

        var chunk = new RecordChunk(chunkBuffer, end, _nextIndex++, _nextLine);
        _nextLine += LineBreaks(chunkBuffer.AsSpan(0, end));
        return chunk;
    }

    /// <summary>Line breaks as the CSV parser numbers lines: a line feed, a CR LF pair, or a lone carriage return.</summary>
    internal static int LineBreaks(ReadOnlySpan<byte> text)
    {
        int lines = text.Count((byte)'\n');
        if (!text.Contains((byte)'\r'))
        {
            return lines;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))
            {
                lines++;
            }
        }

        return lines;
    }
}

/// <summary>Whole records of the input, in a pooled buffer; <see cref="FirstLine"/> is the line the first one starts on.</summary>
internal sealed class RecordChunk(byte[] buffer, int length, int index, int firstLine)
{
    public byte[] Buffer { get; private set; } = buffer;

    public int Length => length;

    /// <summary>Position in the file: chunks are written out in this order.</summary>
    public int Index => index;

    public int FirstLine => firstLine;

    public void Release()
    {
        if (Buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = [];
        }
    }
}
