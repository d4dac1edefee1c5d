namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>One FTP reply (RFC 959 §4.2): a three-digit code and its text lines, the last line first-class.</summary>
/// <param name="Code">The reply code, e.g. 227.</param>
/// <param name="Lines">Every line of the reply, the code prefix removed from the first and last.</param>
internal sealed record FtpReply(int Code, IReadOnlyList<string> Lines)
{
    public string Message => Lines.Count == 0 ? string.Empty : Lines[^1];

    public bool IsPositiveCompletion => Code is >= 200 and < 300;

    public bool IsPositivePreliminary => Code is >= 100 and < 200;

    public bool IsTransientNegative => Code is >= 400 and < 500;

    public override string ToString() => $"{Code} {Message}";
}
