using System.Buffers.Binary;
using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Tests.Local.Store;

/// <summary>The CRCs S3 clients send, against the published check values for "123456789".</summary>
public sealed class ObjectChecksumTests
{
    [Theory]
    [InlineData("x-amz-checksum-crc32", 0xCBF43926ul, 4)]
    [InlineData("x-amz-checksum-crc32c", 0xE3069283ul, 4)]
    [InlineData("x-amz-checksum-crc64nvme", 0xAE8B14860A799888ul, 8)]
    public void CheckValues(string header, ulong expected, int bytes)
    {
        using var checksum = ObjectChecksum.ForHeader(header)!;
        checksum.Append("1234"u8);
        checksum.Append("56789"u8);
        byte[] digest = Convert.FromBase64String(checksum.Base64());
        Assert.Equal(bytes, digest.Length);
        Assert.Equal(expected, bytes == 4 ? BinaryPrimitives.ReadUInt32BigEndian(digest) : BinaryPrimitives.ReadUInt64BigEndian(digest));
    }

    [Fact]
    public void UnknownAlgorithmsAreNotChecksums() => Assert.Null(ObjectChecksum.ForHeader("x-amz-checksum-type"));
}
