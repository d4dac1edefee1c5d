using System.Net;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>skaffold.yaml's portForward address: an IP address or localhost (as skaffold's docs write it), anything else refused by code.</summary>
public sealed class PortForwardAddressTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    [InlineData("127.0.0.1")]
    public async Task Localhost_and_an_ip_address_listen_on_loopback(string address)
    {
        await using var kit = await KubeTestKit.StartAsync();
        await using var forward = PortForward.Start(kit.Client, "default", "service", "app", 8080, 0, address, healthInterval: TimeSpan.Zero);
        Assert.Equal(IPAddress.Loopback, forward.Local.Address);
        Assert.NotEqual(0, forward.Local.Port);
    }

    [Fact]
    public async Task Another_host_name_is_refused_naming_the_address_field_and_the_forward()
    {
        await using var kit = await KubeTestKit.StartAsync();
        var error = Assert.Throws<EtlException>(() => PortForward.Start(kit.Client, "default", "service", "app", 8080, 0, "app.example.internal"));
        Assert.Equal("PortForwardAddressInvalid", error.Code);
        Assert.Contains("portForward address 'app.example.internal'", error.Message, StringComparison.Ordinal);
        Assert.Equal("service/app", error.Target?.ToString());
    }
}
