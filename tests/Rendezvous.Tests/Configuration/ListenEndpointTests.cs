// Parsing --listen values.
using System.Net;
using P2PChat.Rendezvous.Configuration;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Configuration;

public sealed class ListenEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:7777", "127.0.0.1:7777")]
    [InlineData("0.0.0.0:0", "0.0.0.0:0")]
    [InlineData("[::1]:7777", "[::1]:7777")]
    [InlineData("localhost:80", "127.0.0.1:80")]
    public void Parses_host_and_port(string text, string expected) =>
        Assert.Equal(IPEndPoint.Parse(expected), ListenEndpoint.Parse(text));

    [Theory]
    [InlineData("7777")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("example.org:7777")]
    public void Refuses_what_is_not_an_address_and_port(string text) =>
        Assert.Throws<FormatException>(() => ListenEndpoint.Parse(text));
}
