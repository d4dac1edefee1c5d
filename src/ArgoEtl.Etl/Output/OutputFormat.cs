namespace ArgoEtl.Etl.Output;

/// <summary>The file formats the engine writes.</summary>
public enum OutputFormat
{
    /// <summary>Newline-delimited JSON: one UTF-8 object per line.</summary>
    Json,

    /// <summary>Apache Parquet with typed columns.</summary>
    Parquet,
}

/// <summary>Parquet page compression.</summary>
public enum ParquetCompression
{
    Snappy,
    Zstd,
    Gzip,
    None,
}
