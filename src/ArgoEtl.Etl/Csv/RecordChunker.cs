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
                int reached = Scan(limit, scanned, ref inQuotes, ref records, ref lastEnd, maxRecords);
                if (records == maxRecords || (lastEnd > 0 && lastEnd >= maxBytes))
                {
                    return Cut(lastEnd);
                }

                // No progress: a carriage return ends the bytes read so far, and only the next byte tells whether it
                // ends a record (a lone CR) or starts a CR LF.
                if (reached == scanned && !_eof)
                {
                    Fill();
                }

                scanned = reached;
                continue;
            }

            if (_eof)
            {
                return _length == 0 ? null : Cut(_length);
            }

            Fill();
        }
    }

    // Scans _buffer[from..limit) for record ends, until `maxRecords` are found; returns how far it got (short of
    // `limit` also when a CR ends the bytes read so far).
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
            if (records == maxRecords || pos < segmentEnd)
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

    // Record ends in data[from..to), none of them quoted: line feeds, and carriage returns not followed by one (the
    // parser ends a row at a lone CR too; old Mac and some Excel exports end every line so). Counted a block at a time;
    // found one by one only in the block where the count would pass `maxRecords`, or where a lone CR may be.
    private int CountRecordEnds(ReadOnlySpan<byte> data, int from, int to, ref int records, ref int lastEnd, int maxRecords)
    {
        int pos = from;
        while (pos < to)
        {
            int end = Math.Min(to, pos + CountBlock);
            var block = data[pos..end];
            int count = block.Count((byte)'\n');

            // CR LF text has as many CRs as LFs in a block (but for a pair cut by the block's edge); only otherwise
            // can a lone CR be there.
            bool loneCarriageReturns = block.Contains((byte)'\r') && block.Count((byte)'\r') != count;
            if (count == 0 && !loneCarriageReturns)
            {
                pos = end;
                continue;
            }

            if (records + count < maxRecords && !loneCarriageReturns)
            {
                records += count;
                lastEnd = pos + block.LastIndexOf((byte)'\n') + 1;
                pos = end;
                continue;
            }

            for (int i = pos; i < end; i++)
            {
                byte b = data[i];
                if (b == '\r')
                {
                    if (i + 1 >= _length && !_eof)
                    {
                        return i; // the next byte decides; it has not been read yet
                    }

                    if (i + 1 < _length && _buffer[i + 1] == '\n')
                    {
                        continue;
                    }
                }
                else if (b != '\n')
                {
                    continue;
                }

                records++;
                lastEnd = i + 1;
                if (records == maxRecords)
                {
                    return i + 1;
                }
            }

            pos = end;
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

        _length += n;
        if (!_started)
        {
            // The first three bytes decide about the byte order mark, before anything is scanned: a pipe may hand
            // them over one at a time.
            while (_length < 3 && (n = _input.Read(_buffer, _length, 3 - _length)) > 0)
            {
                _length += n;
            }

            _started = true;
            if (_length >= 3 && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
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
        // copies the chunk and leaves the smaller buffers in the pool, which is most of the memory otherwise). The
        // last one, not the largest: one huge record must not make every later buffer huge.
        _typicalChunkBytes = end;
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
