// The contact-link seam over real loopback links: streams reach the handler of their kind, unknown kinds are ended, a cut is seen.
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Transport;
using P2PChat.NetLab.Links;
using Xunit;

namespace P2PChat.Core.Tests.Links;

public sealed class ContactLinkTests
{
    [Fact]
    public async Task A_stream_opened_by_kind_reaches_the_handler_registered_for_that_kind_and_both_sides_share_one_link()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = new LoopbackLinkHub();
        var alice = hub.AddPeer();
        var bob = hub.AddPeer();
        var bobSawLink = new TaskCompletionSource<ContactLink>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.LinkUp += link => bobSawLink.TrySetResult(link);
        using var echo = bob.OnStream(PayloadKind.Text, async (link, stream, token) =>
        {
            var buffer = new byte[64];
            int n = await stream.ReadAsync(buffer, token);
            await stream.WriteAsync(buffer.AsMemory(0, n), token);
            stream.CompleteWrites();
        });

        var toBob = await alice.ConnectAsync(bob.Tag, ct);
        var stream = toBob.OpenStream(PayloadKind.Text);
        await stream.WriteAsync("ping"u8.ToArray(), ct);
        var reply = await ReadToEndAsync(stream, ct);

        Assert.Equal("ping", System.Text.Encoding.UTF8.GetString(reply));
        Assert.Equal(bob.Identity.Public, toBob.PeerIdentity);
        var bobsLink = await bobSawLink.Task.WaitAsync(ct);
        Assert.Equal(alice.Tag, bobsLink.PeerTag);
        Assert.Same(bobsLink, bob.Find(alice.Tag));
        Assert.Same(toBob, await alice.ConnectAsync(bob.Tag, ct));
    }

    [Fact]
    public async Task A_stream_of_a_kind_nobody_handles_is_ended_and_a_cut_link_is_seen_by_both_sides()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = new LoopbackLinkHub();
        var alice = hub.AddPeer();
        var bob = hub.AddPeer();
        var bobSawLink = new TaskCompletionSource<ContactLink>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.LinkUp += link => bobSawLink.TrySetResult(link);

        var toBob = await alice.ConnectAsync(bob.Tag, ct);
        var stream = toBob.OpenStream(PayloadKind.SenderKey);
        Assert.Empty(await ReadToEndAsync(stream, ct));

        var bobsLink = await bobSawLink.Task.WaitAsync(ct);
        alice.Cut(bob.Tag);
        Assert.True(toBob.Closed.IsCancellationRequested);
        await Task.Delay(Timeout.Infinite, bobsLink.Closed).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(ct);
        Assert.Null(alice.Find(bob.Tag));
    }

    [Fact]
    public async Task An_offline_contact_cannot_be_linked_and_the_reason_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = new LoopbackLinkHub();
        var alice = hub.AddPeer();
        var bob = hub.AddPeer();
        bob.GoOffline();

        var error = await Assert.ThrowsAsync<ContactLinkUnavailableException>(async () => await alice.ConnectAsync(bob.Tag, ct));
        Assert.Equal(bob.Tag, error.Peer);
        Assert.Contains("offline", error.Message);
    }

    private static async Task<byte[]> ReadToEndAsync(IReliableStream stream, CancellationToken ct)
    {
        var all = new List<byte>();
        var buffer = new byte[256];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return [.. all];
    }
}
