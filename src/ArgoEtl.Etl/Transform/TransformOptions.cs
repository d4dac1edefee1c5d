using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Transform;

/// <summary>What to do with a row that has the wrong number of fields or a value that does not parse.</summary>
public enum BadRowMode
{
    /// <summary>Stop the run with an error naming the line, column and text; nothing is written.</summary>
    Fail,

    /// <summary>Leave the row out, write it with its reason to the rejects output, and go on.</summary>
    Skip,
}

/// <summary>How one CSV input is converted. Immutable; the defaults convert an RFC 4180 file with a header to NDJSON.</summary>
public sealed record TransformOptions
{
    public OutputFormat Format { get; init; } = OutputFormat.Json;

    public CsvFormat Csv { get; init; } = CsvFormat.Default;

    /// <summary>The columns and their types; null means infer them from the first <see cref="InferenceSampleRows"/> rows.</summary>
    public TableSchema? Schema { get; init; }

    public int InferenceSampleRows { get; init; } = 1000;

    public BadRowMode BadRows { get; init; } = BadRowMode.Fail;

    public ParquetCompression Compression { get; init; } = ParquetCompression.Snappy;

    /// <summary>
    /// Rows per Parquet row group, at most: a group also ends after 8 MB of CSV, so that wide rows keep the memory of
    /// the groups in flight bounded (as parquet-mr and DuckDB bound row groups by bytes too).
    /// </summary>
    public int RowGroupSize { get; init; } = 131_072;

    /// <summary>
    /// Workers that parse and encode chunks of the input in parallel; 0 means one per core (as the process sees them:
    /// a container's CPU limit, DOTNET_PROCESSOR_COUNT), up to four. Lenient quotes always use one.
    /// </summary>
    public int Threads { get; init; }
}
