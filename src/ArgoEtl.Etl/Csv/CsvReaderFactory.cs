using System.Text;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Csv;

/// <summary>Opens a Sep reader with our settings; the one place that knows how CsvFormat maps onto Sep.</summary>
internal static class CsvReaderFactory
{
    /// <summary>
    /// A reader positioned after the header (when the format has one), with the header's names. Sep is always opened
    /// without a header: its header check throws an ArgumentException on a repeated name, and we want a coded error
    /// naming the name and both positions, and the same quote checks on line 1 as on every other line.
    /// </summary>
    public static SepReader Open(Stream input, CsvFormat format, string sourceName, out CsvHeader? header)
    {
        var options = Options(format);

        // detectEncodingFromByteOrderMarks: a UTF-8 BOM (Excel's habit) is skipped rather than becoming part of the first name.
        TextReader text = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        if (format.Quoted && format.LenientQuotes)
        {
            text = new LenientQuoteReader(text, format.Delimiter);
        }

        var reader = options.From(text);
        header = null;
        if (format.HasHeader && reader.MoveNext())
        {
            header = CsvHeader.From(reader.Current, format, sourceName);
        }

        return reader;
    }

    /// <summary>
    /// A reader over one chunk of whole records (<see cref="RecordChunker"/>), with no header, through the worker's
    /// <paramref name="text"/>. The chunker has dropped the byte order mark, so a BOM further on is text, as it is to a
    /// reader of the whole file.
    /// </summary>
    public static SepReader OpenChunk(RecordChunk chunk, CsvFormat format, Utf8ChunkReader text)
    {
        text.Reset(chunk);
        return Options(format).From(text);
    }

    // Raw fields (no Unescape): we unescape only quoted fields ourselves, which also keeps "" apart from empty.
    // Column counts are checked by us, to report the line and what was expected.
    private static SepReaderOptions Options(CsvFormat format) => new(new Sep(format.Delimiter))
    {
        HasHeader = false,
        DisableColCountCheck = true,
        DisableQuotesParsing = !format.Quoted,
        Unescape = false,
        InitialBufferLength = 64 * 1024,
    };
}
