// SecureLink over real UDP sockets on loopback: a keyed link that carries data, and an impostor that is turned away.
using System.Net;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Links;

public sealed class SecureLinkLoopbackTests
{
    private static readonly IdentityKeyPair Alice = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Bob = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Mallory = IdentityKeyPair.Generate();
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task A_secure_link_on_loopback_proves_both_identities_and_carries_a_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bobEndpoint = UdpTransportEndpoint.Bind(Loopback, new TransportOptions { AcceptIncoming = true });
        await using var aliceEndpoint = UdpTransportEndpoint.Bind(Loopback, new TransportOptions());

        var accepting = Task.Run(async () =>
        {
            var connection = await bobEndpoint.AcceptAsync(ct);
            var caller = await SecureLink.RespondAsync(connection, Bob, id => id.Equals(Alice.Public), ct);
            var stream = await connection.AcceptStreamAsync(ct);
            var buffer = new byte[64];
            int n = await stream.ReadAsync(buffer, ct);
            await stream.WriteAsync("ok"u8.ToArray(), ct);
            return (caller, Text: System.Text.Encoding.UTF8.GetString(buffer, 0, n));
        }, ct);
        var link = await aliceEndpoint.ConnectAsync(bobEndpoint.LocalEndPoint, ct);
        var callee = await SecureLink.InitiateAsync(link, Alice, Bob.Public, ct);
        var chat = link.OpenStream();
        await chat.WriteAsync("hello over a keyed link"u8.ToArray(), ct);
        // Bob's reply is keyed, so once Alice has read it her side has settled (asserting earlier would race it).
        Assert.True(await chat.ReadAsync(new byte[2], ct) > 0);

        var (caller, text) = await accepting;
        Assert.Equal(Bob.Public, callee);
        Assert.Equal(Alice.Public, caller);
        Assert.Equal("hello over a keyed link", text);
        Assert.True(link.ProtectionSettled);
    }

    [Fact]
    public async Task Calling_someone_who_cannot_prove_the_expected_identity_fails_and_aborts_the_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var impostorEndpoint = UdpTransportEndpoint.Bind(Loopback, new TransportOptions { AcceptIncoming = true });
        await using var aliceEndpoint = UdpTransportEndpoint.Bind(Loopback, new TransportOptions());

        var impostor = Task.Run(async () =>
        {
            var connection = await impostorEndpoint.AcceptAsync(ct);
            try { await SecureLink.RespondAsync(connection, Mallory, _ => true, ct); }
            catch (Exception e) when (e is LinkHandshakeException or TransportException) { }
        }, ct);
        var link = await aliceEndpoint.ConnectAsync(impostorEndpoint.LocalEndPoint, ct);

        await Assert.ThrowsAsync<LinkHandshakeException>(() => SecureLink.InitiateAsync(link, Alice, Bob.Public, ct));
        Assert.NotEqual(ConnectionState.Established, link.State);
        link.Abort();
        await impostor.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }
}
