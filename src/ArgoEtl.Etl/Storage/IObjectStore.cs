namespace ArgoEtl.Etl.Storage;

/// <summary>
/// Reads and writes whole objects in one kind of storage. Writes always come from a finished local file, so a failed
/// conversion never leaves a partial object behind, and a repeated run overwrites with identical bytes.
/// </summary>
public interface IObjectStore
{
    /// <summary>Opens the object for reading; <c>Length</c> is the size when known (for progress).</summary>
    Task<(Stream Content, long? Length)> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken);

    /// <summary>Publishes a finished local file as the object, atomically where the storage allows.</summary>
    Task PublishAsync(string localFile, ObjectLocation destination, string contentType, CancellationToken cancellationToken);
}
