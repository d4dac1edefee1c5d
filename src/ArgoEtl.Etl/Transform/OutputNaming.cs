using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Derives where a converted object goes from where its input came from. The default follows the pipelines this
/// replaces: a leading <c>input/</c> folder becomes <c>output/</c> and the extension becomes .json or .parquet.
/// A template may use {dir} (the input's folder), {name} (file name without extension), {ext} (.json/.parquet) and
/// {key} (the whole input path).
/// </summary>
public static class OutputNaming
{
    public static string Extension(OutputFormat format) => format == OutputFormat.Parquet ? ".parquet" : ".json";

    /// <summary>Json unless the destination names a .parquet file.</summary>
    public static OutputFormat FormatFor(string? destination) =>
        destination?.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) == true ? OutputFormat.Parquet : OutputFormat.Json;

    /// <summary>The output for <paramref name="input"/> inside a destination folder: the input's name with the format's extension.</summary>
    public static ObjectLocation InFolder(ObjectLocation folder, ObjectLocation input, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(input);
        string name = Path.GetFileNameWithoutExtension(input.Path.Replace('\\', '/').Split('/')[^1]) + Extension(format);
        return folder.Kind == LocationKind.File ? ObjectLocation.File(Path.Combine(folder.Path, name)) : folder.WithPath(folder.Path.TrimEnd('/') + "/" + name);
    }

    public static ObjectLocation Derive(ObjectLocation input, OutputFormat format, string? template)
    {
        ArgumentNullException.ThrowIfNull(input);
        string path = input.Path.Replace('\\', '/');
        int slash = path.LastIndexOf('/');
        string dir = slash < 0 ? string.Empty : path[..slash];
        string file = slash < 0 ? path : path[(slash + 1)..];
        string name = Path.GetFileNameWithoutExtension(file);
        string ext = Extension(format);

        string result;
        if (template is { Length: > 0 })
        {
            result = template.Replace("{dir}", dir, StringComparison.Ordinal).Replace("{name}", name, StringComparison.Ordinal)
                .Replace("{ext}", ext, StringComparison.Ordinal).Replace("{key}", path, StringComparison.Ordinal);
        }
        else
        {
            string outDir = ReplaceInputFolder(dir);
            result = outDir.Length == 0 ? name + ext : $"{outDir}/{name}{ext}";
        }

        if (input.Kind == LocationKind.File && !Path.IsPathRooted(result))
        {
            result = Path.Combine(Path.GetDirectoryName(input.Path) ?? ".", result);
        }

        var output = input.WithPath(result);
        if (string.Equals(output.ToString(), input.ToString(), StringComparison.Ordinal))
        {
            throw new EtlException(EtlErrors.OutputSameAsInput, $"The output for '{input}' would overwrite the input.",
                "Give an output location or an output key template that differs from the input.", input.ToString());
        }

        return output;
    }

    // Only a folder segment literally named "input" is renamed, nearest the root first, as the seed pipelines lay out buckets.
    private static string ReplaceInputFolder(string dir)
    {
        var segments = dir.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i] == "input")
            {
                segments[i] = "output";
                break;
            }
        }

        return string.Join('/', segments);
    }
}
