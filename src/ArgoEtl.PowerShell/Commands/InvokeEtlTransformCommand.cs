using System.Globalization;
using System.Management.Automation;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Events;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Schema;
using ArgoEtl.Etl.Storage;
using ArgoEtl.Etl.Transform;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Converts CSV files or objects to NDJSON or Parquet with the same engine the workflow step runs.</para>
/// <para type="description">Reads CSV from local paths, s3://bucket/key (AWS S3 or an S3-compatible store such as MinIO) or ftp://host/path, converts it
/// with a given or inferred schema, and publishes the result only when the whole input converted: a bad row stops the run
/// with the line, column and text, and nothing is written. With -BadRow Skip, bad rows go to a rejects file instead.
/// The output location defaults to the input's location with an 'input/' folder renamed to 'output/' and the new extension.</para>
/// </summary>
/// <example>
/// <code>Get-ChildItem ./examples/data/*.csv | Invoke-EtlTransform -Format Parquet -Destination ./out/</code>
/// <para>Converts every CSV file in the folder to Parquet files in ./out/, inferring each file's column types.</para>
/// </example>
/// <example>
/// <code>Invoke-EtlTransform s3://etl/input/scores.csv -Schema 'no:int64,name:string,score:int32' -Format Json -EndpointUrl http://localhost:9000</code>
/// <para>Converts an object in a MinIO bucket to s3://etl/output/scores.json with a fixed schema.</para>
/// </example>
/// <example>
/// <code>Invoke-EtlTransform -Path ./big.csv -Format Parquet -WhatIf</code>
/// <para>Shows where the output would be written without reading or writing anything.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "EtlTransform", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(EtlResult))]
public sealed class InvokeEtlTransformCommand : EtlCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string EventSet = "Event";
    private const int ProgressActivityId = 0x_E71;
    private EtlRunner? _runner;
    private TableSchema? _schema;

    // A -Destination that names one file can take one input; the next would silently overwrite it.
    private ObjectLocation? _singleDestinationTakenBy;

    /// <summary>
    /// <para type="description">CSV inputs: local paths (wildcards allowed), s3://bucket/key or ftp://host[:port]/path.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>
    /// <para type="description">Local CSV paths taken literally (no wildcards). Files piped from Get-ChildItem bind here.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>
    /// <para type="description">The Argo Events event body that names the objects to convert: an S3/MinIO notification, an SNS envelope, or an FTP generic event payload (JSON or base64).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = EventSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Event { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Output format: Json (newline-delimited JSON) or Parquet. Default: Parquet when -Destination ends in .parquet, else Json.</para>
    /// </summary>
    [Parameter]
    public OutputFormat? Format { get; set; }

    /// <summary>
    /// <para type="description">Where to write: a file or s3:// key for one input, or a folder ending in '/' for several. Default: beside each input, 'input/' renamed to 'output/'.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>
    /// <para type="description">Derives each output path from its input: {dir}, {name}, {ext} and {key} are replaced. Example: 'processed/{name}{ext}'.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputKeyTemplate { get; set; }

    /// <summary>
    /// <para type="description">Also write the output to this local file (what an Argo output artifact reads).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LocalOutput { get; set; }

    /// <summary>
    /// <para type="description">The columns as name:type pairs, e.g. 'no:int64,name:string,score:int32'. Types: string, int32, int64, double, boolean, date, timestamp. Without -Schema or -SchemaPath, types are inferred from the first rows and reported in the result.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    /// <summary>
    /// <para type="description">A schema file: one line in the -Schema form, or YAML with a 'columns' list of name/type entries.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SchemaPath { get; set; }

    /// <summary>
    /// <para type="description">Line 1 is data, not a header. Columns are named column1..N unless -Schema names them.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoHeader { get; set; }

    /// <summary>
    /// <para type="description">The field delimiter; default ','.</para>
    /// </summary>
    [Parameter]
    public char Delimiter { get; set; } = ',';

    /// <summary>
    /// <para type="description">Treat double quotes as ordinary characters instead of RFC 4180 quoting.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoQuote { get; set; }

    /// <summary>
    /// <para type="description">Take a double quote inside an unquoted field (Ki"m) as an ordinary character. By default it is an error (CsvBadQuote) with its line and column, because RFC 4180 forbids it and a parser that opens a quoted section there would swallow the rest of the file.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter LenientQuotes { get; set; }

    /// <summary>
    /// <para type="description">Fail (default) stops at the first bad row and writes nothing; Skip leaves bad rows out and writes each, with its reason, to the rejects output.</para>
    /// </summary>
    [Parameter]
    public BadRowMode BadRow { get; set; } = BadRowMode.Fail;

    /// <summary>
    /// <para type="description">Where rejected rows go under -BadRow Skip; default: the output path plus '.rejects.ndjson'.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RejectsPath { get; set; }

    /// <summary>
    /// <para type="description">Parquet compression: Snappy (default), Zstd, Gzip or None.</para>
    /// </summary>
    [Parameter]
    public ParquetCompression Compression { get; set; } = ParquetCompression.Snappy;

    /// <summary>
    /// <para type="description">Rows per Parquet row group, at most (a group also ends after 8 MB of CSV); default 131072.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int RowGroupSize { get; set; } = 131_072;

    /// <summary>
    /// <para type="description">How many workers parse and encode chunks of each input in parallel; by default one per core, up to 4. -LenientQuotes always uses one.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; }

    /// <summary>
    /// <para type="description">For FTP events: the server and folder the event's file names are relative to, e.g. ftp://ftp.example:21/upload.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FtpUrl { get; set; }

    /// <summary>-Region, -ProfileName, -EndpointUrl for s3:// inputs and outputs.</summary>
    private AwsParameters Aws { get; } = new();

    protected override IEnumerable<ParameterBundle> Bundles => [Aws];

    protected override void BeginProcessing()
    {
        try
        {
            _schema = SchemaPath is not null ? SchemaFile.Load(GetUnresolvedProviderPathFromPSPath(SchemaPath))
                : Schema is not null ? TableSchema.Parse(Schema, "-Schema")
                : null;
        }
        catch (EtlException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }

        _runner = new EtlRunner(new AwsConnection { EndpointUrl = Aws.EndpointUrl, Region = Aws.Region, ProfileName = Aws.ProfileName });
    }

    protected override void ProcessRecord()
    {
        foreach (var input in ResolveInputs())
        {
            Convert(input);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _runner?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Convert(ObjectLocation input)
    {
        EtlJob job;
        try
        {
            job = CreateJob(input);
            string output = job.ResolveOutput().ToString();
            if (!ShouldProcess(output, $"Convert {input} to {job.Transform.Format}"))
            {
                return;
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
            return;
        }

        var record = new ProgressRecord(ProgressActivityId, $"Converting {input}", "Starting");
        try
        {
            var result = RunWithProgress<EtlResult, TransformProgress>(
                (progress, token) => _runner!.RunAsync(job, progress, token),
                p =>
                {
                    record.StatusDescription = string.Create(CultureInfo.InvariantCulture, $"{p.Rows:N0} rows, {p.BytesRead / 1048576.0:N1} MB read");
                    record.PercentComplete = p.TotalBytes is > 0 ? (int)Math.Min(100, p.BytesRead * 100 / p.TotalBytes.Value) : -1;
                    WriteProgress(record);
                });
            WriteObject(result);
            if (result.SchemaInferred)
            {
                WriteVerbose($"Schema inferred for {result.Input}: {result.InferenceReport ?? result.Schema}");
            }

            if (result.RejectedRows > 0)
            {
                WriteWarning($"{result.RejectedRows} row(s) of {result.Input} were rejected; see {result.Rejects}.");
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
        // One input's unforeseen failure is that input's error, not the end of the pipeline: the next input still runs.
        catch (Exception ex) when (ex is not PipelineStoppedException and not OperationCanceledException)
        {
            WriteError(ErrorRecords.From(new EtlException(EtlErrors.TransformFailed, $"Converting {input} failed: {ex.GetType().Name}: {UrlRedaction.Redact(ex.Message)}",
                "This is a bug in ArgoEtl; please report it with the input's shape (not its data).", input.ToString(), ex)));
        }
        finally
        {
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }
    }

    private EtlJob CreateJob(ObjectLocation input)
    {
        var format = Format ?? OutputNaming.FormatFor(Destination);
        ObjectLocation? output = null;
        if (Destination is not null)
        {
            var destination = ParseLocation(Destination);
            bool folder = Destination.EndsWith('/') || Destination.EndsWith('\\') || (destination.Kind == LocationKind.File && Directory.Exists(destination.Path));
            if (!folder)
            {
                if (_singleDestinationTakenBy is not null && _singleDestinationTakenBy != input)
                {
                    throw new EtlException(EtlErrors.DestinationNotFolder, $"-Destination '{Destination}' is one file, and it already receives {_singleDestinationTakenBy}; {input} would overwrite it.",
                        "End -Destination with '/' to write each input to that folder, or use -OutputKeyTemplate.", input.ToString());
                }

                _singleDestinationTakenBy = input;
            }

            output = folder ? OutputNaming.InFolder(destination, input, format) : destination;
        }

        return new EtlJob
        {
            Input = input,
            Output = output,
            OutputKeyTemplate = OutputKeyTemplate,
            LocalOutput = LocalOutput is null ? null : GetUnresolvedProviderPathFromPSPath(LocalOutput),
            Rejects = RejectsPath is null ? null : ParseLocation(RejectsPath),
            Transform = new TransformOptions
            {
                Format = format,
                Schema = _schema,
                Csv = new CsvFormat { Delimiter = Delimiter, HasHeader = !NoHeader, Quoted = !NoQuote, LenientQuotes = LenientQuotes },
                BadRows = BadRow,
                Compression = Compression,
                RowGroupSize = RowGroupSize,
                Threads = ThrottleLimit,
            },
        };
    }

    private List<ObjectLocation> ResolveInputs()
    {
        var found = new List<ObjectLocation>();
        try
        {
            switch (ParameterSetName)
            {
                case EventSet:
                    found.AddRange(EventPayload.Parse(Event, FtpUrl));
                    break;
                case LiteralPathSet:
                    found.AddRange(LiteralPath.Select(p => ObjectLocation.File(GetUnresolvedProviderPathFromPSPath(p))));
                    break;
                default:
                    foreach (string p in Path)
                    {
                        if (IsRemote(p))
                        {
                            found.Add(ObjectLocation.Parse(p));
                            continue;
                        }

                        try
                        {
                            found.AddRange(GetResolvedProviderPathFromPSPath(p, out _).Select(ObjectLocation.File));
                        }
                        catch (ItemNotFoundException)
                        {
                            WriteError(ErrorRecords.Create(EtlErrors.InputNotFound, $"Input '{p}' does not exist.", p,
                                "Check the path; wildcards are allowed with -Path, not with -LiteralPath."));
                        }
                    }

                    break;
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }

        return found;
    }

    private ObjectLocation ParseLocation(string text) =>
        IsRemote(text) ? ObjectLocation.Parse(text) : ObjectLocation.File(GetUnresolvedProviderPathFromPSPath(text));

    private static bool IsRemote(string text) => text.Contains("://", StringComparison.Ordinal);
}
