using System.Text;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// The text of one <see cref="RecordChunk"/> for the CSV parser, decoded from UTF-8 straight into the parser's buffer.
/// One per worker, reset for each chunk: a StreamReader per chunk allocated 192 KB of buffers each time, which the
/// runtime keeps on the large object heap until a full collection, and the process's memory grew with the file.
/// Invalid UTF-8 becomes U+FFFD, as with a StreamReader. Disposing it (the parser does, with each chunk) does nothing.
/// </summary>
internal sealed class Utf8ChunkReader : TextReader
{
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private byte[] _bytes = [];
    private int _position;
    private int _end;

    public void Reset(RecordChunk chunk)
    {
        _bytes = chunk.Buffer;
        _position = 0;
        _end = chunk.Length;
        _decoder.Reset();
    }

    public override int Read(Span<char> buffer)
    {
        if (_position >= _end || buffer.IsEmpty)
        {
            return 0;
        }

        // flush: the chunk holds whole records, so its bytes are all the input there is for this decoder.
        _decoder.Convert(_bytes.AsSpan(_position, _end - _position), buffer, flush: true, out int bytesUsed, out int charsUsed, out _);
        _position += bytesUsed;
        return charsUsed;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read() => throw new NotSupportedException("The CSV parser reads blocks.");

    public override int Peek() => throw new NotSupportedException("The CSV parser reads blocks.");

    // Owned by the worker, not by the parser that disposes it after each chunk: nothing to let go of either way.
    protected override void Dispose(bool disposing) => base.Dispose(disposing);
}
