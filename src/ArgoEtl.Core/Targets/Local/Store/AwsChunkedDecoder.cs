using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// Decodes an aws-chunked body (<c>Content-Encoding: aws-chunked</c>, what the AWS CLI v2 and the AWS SDKs stream):
/// <c>hex-size[;chunk-signature=sig]\r\n data \r\n</c> until a zero-size chunk, then optional trailing headers
/// (x-amz-checksum-*, x-amz-trailer-signature). Signed modes have every chunk's signature, chained from the request's,
/// checked as the chunk is read, so a tampered or truncated stream is refused before the object becomes visible.
/// </summary>
internal sealed class AwsChunkedDecoder
{
    private const int MaxLine = 4096;
    private readonly Stream _source;
    private readonly SigV4Verification? _signing;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <param name="signing">The request's verified signature when the chunks are signed (STREAMING-AWS4-HMAC-SHA256-*); null when unsigned.</param>
    public AwsChunkedDecoder(Stream source, SigV4Verification? signing)
    {
        _source = source;
        _signing = signing;
    }

    /// <summary>The trailing headers after the last chunk (names lower-cased).</summary>
    public Dictionary<string, string> Trailers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sends each decoded piece of data to <paramref name="sink"/>; returns the decoded length.</summary>
    public async Task<long> DecodeAsync(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, CancellationToken cancellationToken)
    {
        string previous = _signing?.SeedSignature ?? string.Empty;
        long total = 0;
        while (true)
        {
            string header = await ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw S3Errors.Create("IncompleteBody", "The aws-chunked body ended before its final chunk.");
            string[] parts = header.Split(';');
            if (!long.TryParse(parts[0].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
            {
                throw S3Errors.Create("IncompleteBody", "An aws-chunked chunk header is malformed (expected a hex size).");
            }

            string? signature = parts.Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("chunk-signature=", StringComparison.Ordinal))?["chunk-signature=".Length..];
            using var chunkHash = _signing is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long remaining = size;
            while (remaining > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw S3Errors.Create("IncompleteBody", "The aws-chunked body ended inside a chunk.");
                }

                int take = (int)Math.Min(remaining, _end - _start);
                var piece = _buffer.AsMemory(_start, take);
                chunkHash?.AppendData(piece.Span);
                await sink(piece, cancellationToken).ConfigureAwait(false);
                _start += take;
                remaining -= take;
            }

            total += size;
            if (_signing is not null)
            {
                string expected = SigV4RequestVerifier.ChunkSignature(_signing, previous, chunkHash!.GetHashAndReset());
                if (signature is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
                {
                    throw S3Errors.Create("SignatureDoesNotMatch", "The signature of an aws-chunked chunk does not match: the body was changed or signed with another key.");
                }

                previous = signature;
            }

            if (size == 0)
            {
                await ReadTrailersAsync(previous, cancellationToken).ConfigureAwait(false);
                return total;
            }

            string? end = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (end is not { Length: 0 })
            {
                throw S3Errors.Create("IncompleteBody", "An aws-chunked chunk is longer than its declared size.");
            }
        }
    }

    private async Task ReadTrailersAsync(string previousSignature, CancellationToken cancellationToken)
    {
        var signedText = new StringBuilder();
        string? trailerSignature = null;
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw S3Errors.Create("IncompleteBody", "An aws-chunked trailing header is malformed.");
            }

            string name = line[..colon].Trim().ToLowerInvariant();
            string value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature")
            {
                trailerSignature = value;
                continue;
            }

            Trailers[name] = value;
            signedText.Append(name).Append(':').Append(value).Append('\n');
        }

        if (_signing is not null && Trailers.Count > 0)
        {
            string expected = SigV4RequestVerifier.TrailerSignature(_signing, previousSignature, signedText.ToString());
            if (trailerSignature is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(trailerSignature)))
            {
                throw S3Errors.Create("SignatureDoesNotMatch", "The signature of the aws-chunked trailing headers does not match.");
            }
        }
    }

    // A CRLF-terminated line (CR optional); null at the end of the stream before any byte of a line.
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Count == 0 ? null : Encoding.ASCII.GetString(line.ToArray());
            }

            byte b = _buffer[_start++];
            if (b == '\n')
            {
                if (line.Count > 0 && line[^1] == '\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return Encoding.ASCII.GetString(line.ToArray());
            }

            line.Add(b);
            if (line.Count > MaxLine)
            {
                throw S3Errors.Create("IncompleteBody", "An aws-chunked header line is too long.");
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _source.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
