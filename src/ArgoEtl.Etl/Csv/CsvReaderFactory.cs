using System.Text;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Csv;

/// <summary>Opens a Sep reader with our settings; the one place that knows how CsvFormat maps onto Sep.</summary>
internal static class CsvReaderFactory
{
    public static SepReader Open(Stream input, CsvFormat format)
    {
        // Raw fields (no Unescape): we unescape only quoted fields ourselves, which also keeps "" apart from empty.
        // Column counts are checked by us, to report the line and what was expected.
        var options = new SepReaderOptions(new Sep(format.Delimiter))
        {
            HasHeader = format.HasHeader,
            DisableColCountCheck = true,
            DisableQuotesParsing = !format.Quoted,
            Unescape = false,
            InitialBufferLength = 64 * 1024,
        };

        // detectEncodingFromByteOrderMarks: a UTF-8 BOM (Excel's habit) is skipped rather than becoming part of the first name.
        var text = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        return options.From(text);
    }
}
