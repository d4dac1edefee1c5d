using System.Formats.Tar;
using System.IO.Compression;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ArgoEtl.Etl.Aws;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// Moves artifacts between a node's folder and where they live: S3-compatible stores (path-style, no chunked
/// uploads, checksums only when required: what non-AWS endpoints accept), HTTP, raw text. Archives follow Argo:
/// outputs are tar+gzip unless archive.none, and an input that is a tar+gzip is unpacked onto its path.
/// </summary>
internal sealed class ArtifactTransfer(HttpClient http)
{
    public static AmazonS3Client Client(Uri endpoint, string accessKey, string secretKey, string region) =>
        S3ClientFactory.Create(new AwsConnection { EndpointUrl = endpoint, Region = region, Credentials = new BasicAWSCredentials(accessKey, secretKey) });

    public static async Task DownloadS3Async(AmazonS3Client client, string bucket, string key, string path, CancellationToken cancellationToken)
    {
        string temp = path + ".download";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var response = await client.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false))
        {
            var file = File.Create(temp);
            await using (file.ConfigureAwait(false))
            {
                await response.ResponseStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }

        await PlaceAsync(temp, path, cancellationToken).ConfigureAwait(false);
    }

    public async Task DownloadHttpAsync(Uri url, string path, CancellationToken cancellationToken)
    {
        string temp = path + ".download";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
        {
            response.EnsureSuccessStatusCode();
            var file = File.Create(temp);
            await using (file.ConfigureAwait(false))
            {
                await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }

        await PlaceAsync(temp, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads the file or folder at <paramref name="path"/>: tar+gzip (an entry named after it) unless <paramref name="archive"/> is false.</summary>
    public static async Task UploadAsync(AmazonS3Client client, string bucket, string key, string path, bool archive, CancellationToken cancellationToken)
    {
        string upload = path;
        if (archive)
        {
            upload = path.TrimEnd(Path.DirectorySeparatorChar) + ".argoetl.tgz";
            var output = File.Create(upload);
            await using (output.ConfigureAwait(false))
            {
                var gzip = new GZipStream(output, CompressionLevel.Optimal);
                await using (gzip.ConfigureAwait(false))
                {
                    var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
                    await using (tar.ConfigureAwait(false))
                    {
                        string name = Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar));
                        if (Directory.Exists(path))
                        {
                            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name + "/"), cancellationToken).ConfigureAwait(false);
                            foreach (string file in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                            {
                                string entry = name + "/" + Path.GetRelativePath(path, file).Replace(Path.DirectorySeparatorChar, '/');
                                await tar.WriteEntryAsync(file, Directory.Exists(file) ? entry + "/" : entry, cancellationToken).ConfigureAwait(false);
                            }
                        }
                        else
                        {
                            await tar.WriteEntryAsync(path, name, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
        else if (Directory.Exists(path))
        {
            throw new EtlException("LocalArtifactFolderNotArchived", EtlErrorKind.InvalidArgument, $"Output artifact {path} is a folder and its archive is 'none'.",
                "Archive folders (remove archive.none), or point the artifact at a single file.", path);
        }

        try
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = upload, UseChunkEncoding = false }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (archive)
            {
                File.Delete(upload);
            }
        }
    }

    // A downloaded tar+gzip is unpacked as Argo's executor does: a single top-level entry becomes the path itself,
    // several become the contents of a folder at the path. Anything else is placed as it is.
    private static async Task PlaceAsync(string temp, string path, CancellationToken cancellationToken)
    {
        if (await IsTarGzAsync(temp, cancellationToken).ConfigureAwait(false))
        {
            string unpack = temp + ".d";
            Directory.CreateDirectory(unpack);
            var input = File.OpenRead(temp);
            await using (input.ConfigureAwait(false))
            {
                var gzip = new GZipStream(input, CompressionMode.Decompress);
                await using (gzip.ConfigureAwait(false))
                {
                    await TarFile.ExtractToDirectoryAsync(gzip, unpack, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Delete(temp);
            var top = Directory.GetFileSystemEntries(unpack);
            if (top.Length == 1)
            {
                Move(top[0], path);
                Directory.Delete(unpack, recursive: true);
            }
            else
            {
                Move(unpack, path);
            }

            return;
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void Move(string from, string to)
    {
        if (Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }
        else if (File.Exists(to))
        {
            File.Delete(to);
        }

        if (Directory.Exists(from))
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    private static async Task<bool> IsTarGzAsync(string file, CancellationToken cancellationToken)
    {
        var input = File.OpenRead(file);
        await using (input.ConfigureAwait(false))
        {
            if (input.ReadByte() != 0x1f || input.ReadByte() != 0x8b)
            {
                return false;
            }

            input.Position = 0;
            try
            {
                var gzip = new GZipStream(input, CompressionMode.Decompress);
                await using (gzip.ConfigureAwait(false))
                {
                    var reader = new TarReader(gzip);
                    await using (reader.ConfigureAwait(false))
                    {
                        return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is not null;
                    }
                }
            }
            catch (InvalidDataException)
            {
                return false;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
