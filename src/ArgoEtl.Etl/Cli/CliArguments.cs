using System.Globalization;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Events;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Schema;
using ArgoEtl.Etl.Storage;
using ArgoEtl.Etl.Transform;

namespace ArgoEtl.Etl.Cli;

/// <summary>
/// The container entrypoint's command line. Every option also has an ARGOETL_* environment variable, so a Workflow
/// template can set them either way. Turns arguments into jobs; knows nothing about running them.
/// </summary>
internal sealed class CliArguments
{
    public const string Usage = """
        argoetl-etl: convert CSV to NDJSON or Parquet, from and to local files, S3/MinIO and FTP.

        usage: argoetl-etl [transform] (--input LOCATION... | --event JSON|@FILE|-) [options]

          --input, -i LOCATION     s3://bucket/key, ftp://host[:port]/path or a local path (repeatable)
          --event JSON|@FILE|-     the Argo Events event body (S3/MinIO notification, SNS envelope, FTP generic payload)
          --format json|parquet    output format (default: from --output's extension, else json)
          --output, -o LOCATION    where to write (default: input/ -> output/ beside the input, new extension)
          --output-key-template T  derive the output path: {dir} {name} {ext} {key}
          --local-output PATH      also write the output to this local file (for Argo output artifacts)
          --schema SPEC            columns as name:type,... (string int32 int64 double boolean date timestamp)
          --schema-file PATH       the schema from a file (one line SPEC, or YAML 'columns:' list)
          --no-header              line 1 is data
          --delimiter CHAR         field delimiter (default ','; 'tab' for tab)
          --quote '"'|none         quoting (RFC 4180 double quotes, or none)
          --lenient-quotes         take a quote inside an unquoted field (Ki"m) literally instead of failing (CsvBadQuote)
          --bad-rows fail|skip     stop on a bad row (default) or skip it and write it to the rejects output
          --rejects LOCATION       where rejected rows go (default: <output>.rejects.ndjson)
          --compression snappy|zstd|gzip|none   Parquet compression (default snappy)
          --row-group-size N       rows per Parquet row group at most; a group also ends after 8 MB of CSV (default 131072)
          --threads N              workers that parse and encode chunks of the input (default: one per core, up to 4)
          --s3-endpoint URL        S3-compatible endpoint (or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)
          --s3-region REGION       region (or AWS_REGION)
          --s3-path-style          path-style addressing (default on for custom endpoints)
          --aws-profile NAME       shared-config profile (or AWS_PROFILE)
          --ftp-url URL            FTP server and folder that FTP event file names are relative to (or ARGOETL_FTP_URL)

        FTP credentials: ARGOETL_FTP_USER / ARGOETL_FTP_PASSWORD. Exit codes: 0 ok, 1 bad data, 2 bad usage,
        3 not found, access denied, read-only or full destination, 4 connection failure, 70 internal error, 130 canceled.
        """;

    public List<string> Inputs { get; } = [];

    public string? Event { get; private set; }

    public OutputFormat? Format { get; private set; }

    public string? Output { get; private set; }

    public string? OutputKeyTemplate { get; private set; }

    public string? LocalOutput { get; private set; }

    public string? Rejects { get; private set; }

    public string? FtpUrl { get; private set; }

    public TransformOptions Transform { get; private set; } = new();

    public AwsConnection S3 { get; private set; } = new();

    public bool Help { get; private set; }

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var result = new CliArguments();
        var csv = CsvFormat.Default;
        var transform = new TransformOptions();
        TableSchema? schema = null;
        int i = 0;
        if (args.Count > 0 && args[0] == "transform")
        {
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            string arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw UsageError($"{arg} needs a value.");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "-h" or "--help": result.Help = true; break;
                case "-i" or "--input": result.Inputs.Add(Value()); break;
                case "--event": result.Event = Value(); break;
                case "--format": result.Format = ParseEnum<OutputFormat>(arg, Value()); break;
                case "-o" or "--output": result.Output = Value(); break;
                case "--output-key-template": result.OutputKeyTemplate = Value(); break;
                case "--local-output": result.LocalOutput = Value(); break;
                case "--schema": schema = TableSchema.Parse(Value(), "--schema"); break;
                case "--schema-file": schema = SchemaFile.Load(Value()); break;
                case "--no-header": csv = csv with { HasHeader = false }; break;
                case "--delimiter": csv = csv with { Delimiter = ParseDelimiter(Value()) }; break;
                case "--quote": csv = csv with { Quoted = ParseQuote(Value()) }; break;
                case "--lenient-quotes": csv = csv with { LenientQuotes = true }; break;
                case "--bad-rows": transform = transform with { BadRows = ParseEnum<BadRowMode>(arg, Value()) }; break;
                case "--rejects": result.Rejects = Value(); break;
                case "--compression": transform = transform with { Compression = ParseEnum<ParquetCompression>(arg, Value()) }; break;
                case "--row-group-size": transform = transform with { RowGroupSize = ParsePositive(arg, Value()) }; break;
                case "--threads": transform = transform with { Threads = ParsePositive(arg, Value()) }; break;
                case "--s3-endpoint": result.S3 = result.S3 with { EndpointUrl = AwsConnection.ParseEndpoint(Value(), "--s3-endpoint") }; break;
                case "--s3-region": result.S3 = result.S3 with { Region = Value() }; break;
                case "--s3-path-style": result.S3 = result.S3 with { S3ForcePathStyle = true }; break;
                case "--aws-profile": result.S3 = result.S3 with { ProfileName = Value() }; break;
                case "--ftp-url": result.FtpUrl = Value(); break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw UsageError($"Unknown option '{arg}'.");
                    }

                    result.Inputs.Add(arg);
                    break;
            }
        }

        result.Event ??= Environment.GetEnvironmentVariable("ARGOETL_EVENT") is { Length: > 0 } e ? e : null;
        result.FtpUrl ??= Environment.GetEnvironmentVariable("ARGOETL_FTP_URL") is { Length: > 0 } f ? f : null;
        result.Transform = transform with { Csv = csv, Schema = schema };
        return result;
    }

    /// <summary>The jobs these arguments describe: one per input named directly or found in the event.</summary>
    public IReadOnlyList<EtlJob> ToJobs(Func<string, string> readEventSource)
    {
        var inputs = Inputs.Select(ObjectLocation.Parse).ToList();
        if (Event is not null)
        {
            string text = Event == "-" ? readEventSource("-") : Event.StartsWith('@') ? readEventSource(Event[1..]) : Event;
            inputs.AddRange(EventPayload.Parse(text, FtpUrl));
        }

        if (inputs.Count == 0)
        {
            throw UsageError("Nothing to convert: give --input LOCATION or --event.");
        }

        var output = Output is null ? null : ObjectLocation.Parse(Output);
        if (output is not null && inputs.Count > 1 && !Output!.EndsWith('/'))
        {
            throw UsageError("Several inputs need an output folder (ending with '/') or --output-key-template, not one output location.");
        }

        var format = Format ?? OutputNaming.FormatFor(Output);
        var transform = Transform with { Format = format };
        return inputs.Select(input => new EtlJob
        {
            Input = input,
            Output = output is null ? null
                : Output!.EndsWith('/') ? OutputNaming.InFolder(output, input, format)
                : output,
            OutputKeyTemplate = OutputKeyTemplate,
            LocalOutput = LocalOutput,
            Rejects = Rejects is null ? null : ObjectLocation.Parse(Rejects),
            Transform = transform,
        }).ToList();
    }

    private static EtlException UsageError(string message) =>
        new(EtlErrors.CliUsage, message, "Run argoetl-etl --help for the options.", null);

    private static T ParseEnum<T>(string option, string value)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw UsageError($"{option} takes one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}; '{value}' is not one.");

    private static int ParsePositive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw UsageError($"{option} takes a positive whole number; '{value}' is not one.");

    internal static char ParseDelimiter(string value) => value switch
    {
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } => value[0],
        _ => throw UsageError($"--delimiter takes one character (or 'tab'); '{value}' is not one."),
    };

    internal static bool ParseQuote(string value) => value switch
    {
        "\"" => true,
        "none" or "" => false,
        _ => throw UsageError($"--quote takes '\"' or 'none'; '{value}' is not supported (the CSV parser only knows the double quote)."),
    };
}
