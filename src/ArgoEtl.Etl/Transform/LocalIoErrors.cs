namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Turns file-system failures into coded errors that name what the user named (the destination, not the hidden temp
/// file beside it): read-only file system, full disk, permission denied.
/// </summary>
internal static class LocalIoErrors
{
    // On Unix .NET puts the errno in IOException.HResult for errors it has no dedicated exception for.
    private const int Enospc = 28;
    private const int Erofs = 30;
    private const int Edquot = 122;

    public static bool IsLocalIo(Exception ex) => ex is IOException or UnauthorizedAccessException && ex is not EtlException;

    public static EtlException ForDestination(Exception ex, string destination)
    {
        if (ex is UnauthorizedAccessException || Is(ex, 13, "Permission denied") || Is(ex, 1, "Operation not permitted"))
        {
            return new EtlException(EtlErrors.DestinationAccessDenied, $"Cannot write to '{destination}': permission denied.",
                "Choose a destination folder you can write to, or fix its permissions.", destination, ex);
        }

        if (Is(ex, Erofs, "Read-only file system"))
        {
            return new EtlException(EtlErrors.DestinationReadOnly, $"Cannot write to '{destination}': the file system is read-only.",
                "Write to a folder on a writable file system (in a container, a mounted volume or /tmp).", destination, ex);
        }

        if (Is(ex, Enospc, "No space left on device") || Is(ex, Edquot, "Disk quota exceeded") || (ex.HResult & 0xFFFF) == 112)
        {
            return new EtlException(EtlErrors.DestinationFull, $"Cannot write '{destination}': no space left on the device. Nothing was published.",
                "Free space on the destination's file system or write elsewhere; the conversion needs room for the whole output.", destination, ex);
        }

        return new EtlException(EtlErrors.DestinationWriteFailed, $"Cannot write '{destination}': {RedactPath(ex.Message)}.", "Check the destination folder and its file system.", destination, ex);
    }

    private static bool Is(Exception ex, int errno, string text) =>
        ex.HResult == errno || ex.Message.Contains(text, StringComparison.OrdinalIgnoreCase);

    // The framework's message names the temp file; keep only the reason after it.
    private static string RedactPath(string message)
    {
        int colon = message.IndexOf(" : ", StringComparison.Ordinal);
        return colon >= 0 ? message[..colon] : message.Split('\'')[0].TrimEnd();
    }
}
