// KeyUpdate parsing and writing, and what else a client may not send after the handshake; the key log line parser.
using P2PChat.Rendezvous.Tls;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Tls;

public sealed class PostHandshakeMessageTests
{
    [Fact]
    public void Reads_and_writes_key_updates()
    {
        var message = new byte[5];
        PostHandshakeMessage.WriteKeyUpdate(requestUpdate: true, message);
        Assert.Equal(new byte[] { 24, 0, 0, 1, 1 }, message);
        Assert.True(PostHandshakeMessage.ParseKeyUpdate(message));
        Assert.False(PostHandshakeMessage.ParseKeyUpdate([24, 0, 0, 1, 0]));
    }

    [Theory]
    [InlineData(new byte[] { }, TlsAlert.UnexpectedMessage)]                      // empty handshake record
    [InlineData(new byte[] { 4, 0, 0, 1, 0 }, TlsAlert.UnexpectedMessage)]        // NewSessionTicket from a client
    [InlineData(new byte[] { 1, 0, 0, 1, 0 }, TlsAlert.UnexpectedMessage)]        // a second ClientHello
    [InlineData(new byte[] { 24, 0, 0 }, TlsAlert.UnexpectedMessage)]             // split
    [InlineData(new byte[] { 24, 0, 0, 1 }, TlsAlert.UnexpectedMessage)]          // split after the header
    [InlineData(new byte[] { 24, 0, 0, 2, 0, 0 }, TlsAlert.DecodeError)]          // wrong length
    [InlineData(new byte[] { 24, 0, 0, 1, 2 }, TlsAlert.IllegalParameter)]        // request_update 2
    [InlineData(new byte[] { 24, 0, 0, 1, 0, 24 }, TlsAlert.UnexpectedMessage)]   // more after the KeyUpdate
    public void Refuses_anything_but_one_whole_key_update(byte[] content, TlsAlert alert) =>
        Assert.Equal(alert, Assert.Throws<TlsAlertException>(() => PostHandshakeMessage.ParseKeyUpdate(content)).Alert);

    [Fact]
    public void Parses_the_traffic_secrets_from_key_log_lines()
    {
        var random = new string('a', 64);
        var line = System.Text.Encoding.ASCII.GetBytes($"CLIENT_TRAFFIC_SECRET_0 {random} 00ff10AB");
        Assert.Equal(new byte[] { 0, 0xff, 0x10, 0xab }, TlsServerHandshake.ParseSecret(line, "CLIENT_TRAFFIC_SECRET_0"u8));
        Assert.Null(TlsServerHandshake.ParseSecret(line, "SERVER_TRAFFIC_SECRET_0"u8));
        Assert.Null(TlsServerHandshake.ParseSecret(System.Text.Encoding.ASCII.GetBytes($"CLIENT_TRAFFIC_SECRET_0 {random} 0g"), "CLIENT_TRAFFIC_SECRET_0"u8));
        Assert.Null(TlsServerHandshake.ParseSecret("CLIENT_TRAFFIC_SECRET_0X"u8, "CLIENT_TRAFFIC_SECRET_0"u8));
        Assert.Null(TlsServerHandshake.ParseSecret(System.Text.Encoding.ASCII.GetBytes($"CLIENT_HANDSHAKE_TRAFFIC_SECRET {random} 00"), "CLIENT_TRAFFIC_SECRET_0"u8));
    }
}
