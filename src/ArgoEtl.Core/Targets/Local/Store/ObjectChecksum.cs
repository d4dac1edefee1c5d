using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// One of the additional checksums S3 clients send (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256),
/// computed incrementally over the body as it is stored, so a value the client sent can be checked against the bytes.
/// Values are base64 of the big-endian digest, as S3 writes them.
/// </summary>
internal sealed class ObjectChecksum : IDisposable
{
    private static readonly uint[] Crc32Table = ReflectedTable32(0xEDB88320u);
    private static readonly uint[] Crc32CTable = ReflectedTable32(0x82F63B78u);
    private static readonly ulong[] Crc64NvmeTable = ReflectedTable64(0x9A6C9329AC4BC9B5ul);

    private readonly IncrementalHash? _hash;
    private uint[]? _table32;
    private uint _crc32 = uint.MaxValue;
    private ulong _crc64 = ulong.MaxValue;

    private ObjectChecksum(string algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case "crc32": _table32 = Crc32Table; break;
            case "crc32c": _table32 = Crc32CTable; break;
            case "crc64nvme": break;
            case "sha1": _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1); break;
            case "sha256": _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256); break;
            default: throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm.");
        }
    }

    public static readonly IReadOnlyList<string> Algorithms = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"];

    /// <summary>Lower-case name as in the header suffix: crc32, crc32c, crc64nvme, sha1, sha256.</summary>
    public string Algorithm { get; }

    public string HeaderName => "x-amz-checksum-" + Algorithm;

    /// <summary>A checksum for a header name such as x-amz-checksum-crc32, or null when the name is not one.</summary>
    public static ObjectChecksum? ForHeader(string headerName)
    {
        const string prefix = "x-amz-checksum-";
        if (!headerName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string algorithm = headerName[prefix.Length..].ToLowerInvariant();
        return Algorithms.Contains(algorithm) ? new ObjectChecksum(algorithm) : null;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_hash is not null)
        {
            _hash.AppendData(data);
        }
        else if (_table32 is not null)
        {
            uint crc = _crc32;
            foreach (byte b in data)
            {
                crc = _table32[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            _crc32 = crc;
        }
        else
        {
            ulong crc = _crc64;
            foreach (byte b in data)
            {
                crc = Crc64NvmeTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            _crc64 = crc;
        }
    }

    public string Base64()
    {
        if (_hash is not null)
        {
            return Convert.ToBase64String(_hash.GetCurrentHash());
        }

        if (_table32 is not null)
        {
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(four, ~_crc32);
            return Convert.ToBase64String(four);
        }

        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(eight, ~_crc64);
        return Convert.ToBase64String(eight);
    }

    public void Dispose()
    {
        _hash?.Dispose();
        _table32 = null;
    }

    private static uint[] ReflectedTable32(uint polynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }

    private static ulong[] ReflectedTable64(ulong polynomial)
    {
        var table = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            ulong c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
