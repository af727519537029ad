// Tests parsing HOST:PORT as users type it.
using P2PChat.Peer.Server;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class ServerAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:7000", "127.0.0.1", 7000)]
    [InlineData("chat.example.org", "chat.example.org", ServerAddress.DefaultPort)]
    [InlineData("[::1]:9", "::1", 9)]
    [InlineData(" host:65535 ", "host", 65535)]
    public void Parses(string text, string host, int port) => Assert.Equal(new ServerAddress(host, port), ServerAddress.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData(":80")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:http")]
    [InlineData("::1:80")]
    [InlineData("[::1")]
    public void Refuses_with_a_reason(string text)
    {
        Assert.False(ServerAddress.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Prints_ipv6_in_brackets() => Assert.Equal("[::1]:9", new ServerAddress("::1", 9).ToString());
}
