using ArgoEtl.Core.Images;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>
/// What -Image takes: an EtlImage from Publish-EtlImage as it is (no ToString needed), or the text artifact=reference.
/// PowerShell converts either into this type (op_Implicit for EtlImage, Parse for strings), so the parameter is typed.
/// </summary>
public sealed record ImageArgument(string Artifact, string Reference)
{
    public static implicit operator ImageArgument(EtlImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new ImageArgument(image.Artifact, image.FullyQualifiedName);
    }

    /// <summary>
    /// artifact=reference, e.g. minio-etl=localhost:5000/minio-etl:abc@sha256:... Text of another form is kept (with no
    /// artifact) for the cmdlet to refuse with its coded error; a conversion error here would lose the code.
    /// </summary>
    public static ImageArgument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq <= 0 || eq == text.Length - 1 ? new ImageArgument(string.Empty, text) : new ImageArgument(text[..eq], text[(eq + 1)..]);
    }

    /// <summary>The artifact and reference; ImageArgumentInvalid when the text was not artifact=reference.</summary>
    public (string Artifact, string Reference) Checked() => Artifact.Length > 0
        ? (Artifact, Reference)
        : throw new EtlException(EtlErrors.ImageArgumentInvalid, $"-Image '{Reference}' is not artifact=reference.",
            "Pass Publish-EtlImage's output (-Image $images), or write each image as the artifact's image name, '=', and the built reference, e.g. minio-etl=localhost:5000/minio-etl:abc.", Reference);

    public static ImageArgument FromEtlImage(EtlImage image) => image;

    public override string ToString() => Artifact.Length > 0 ? $"{Artifact}={Reference}" : Reference;
}
