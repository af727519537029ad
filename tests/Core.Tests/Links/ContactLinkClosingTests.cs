// Disposing a contact link completes every stream open on it, long-lived ones included, on both sides.
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Transport;
using P2PChat.NetLab.Links;
using Xunit;

namespace P2PChat.Core.Tests.Links;

public sealed class ContactLinkClosingTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Disposing_a_link_ends_the_open_streams_and_stream_handlers_of_both_sides()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = new LoopbackLinkHub();
        var alice = hub.AddPeer();
        var bob = hub.AddPeer();
        var bobSawLink = new TaskCompletionSource<ContactLink>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.LinkUp += link => bobSawLink.TrySetResult(link);
        // Each side's handler reads its incoming stream until it ends, as a long-lived PM stream's receiver does.
        var aliceHandler = new ReadUntilEnd();
        var bobHandler = new ReadUntilEnd();
        using var aliceRegistration = alice.OnStream(PayloadKind.PrivateMessage, aliceHandler.RunAsync);
        using var bobRegistration = bob.OnStream(PayloadKind.PrivateMessage, bobHandler.RunAsync);

        var toBob = (ContactLink)await alice.ConnectAsync(bob.Tag, ct);
        var aliceOut = toBob.OpenStream(PayloadKind.PrivateMessage);
        await aliceOut.WriteAsync("hi bob"u8.ToArray(), ct);
        var toAlice = await bobSawLink.Task.WaitAsync(SafetyNet, ct);
        var bobOut = toAlice.OpenStream(PayloadKind.PrivateMessage);
        await bobOut.WriteAsync("hi alice"u8.ToArray(), ct);
        await aliceHandler.FirstBytes.WaitAsync(SafetyNet, ct);
        await bobHandler.FirstBytes.WaitAsync(SafetyNet, ct);
        // Both senders wait for an answer that never comes.
        var aliceWaits = aliceOut.ReadAsync(new byte[1], ct).AsTask();
        var bobWaits = bobOut.ReadAsync(new byte[1], ct).AsTask();

        await toBob.DisposeAsync().AsTask().WaitAsync(SafetyNet, ct);

        Assert.True(toBob.Closed.IsCancellationRequested);
        await Ended(aliceWaits);
        await Ended(bobWaits);
        await aliceHandler.Done.WaitAsync(SafetyNet, ct);
        await bobHandler.Done.WaitAsync(SafetyNet, ct);
        await Task.Delay(Timeout.Infinite, toAlice.Closed).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(SafetyNet, ct);
        Assert.Throws<TransportException>(() => toAlice.OpenStream(PayloadKind.PrivateMessage));
    }

    /// <summary>A read that was pending when the link ended returns end-of-stream (0) or throws TransportException.</summary>
    private static async Task Ended(Task<int> read)
    {
        try { Assert.Equal(0, await read.WaitAsync(SafetyNet, TestContext.Current.CancellationToken)); }
        catch (TransportException) { }
    }

    private sealed class ReadUntilEnd
    {
        private readonly TaskCompletionSource _firstBytes = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task FirstBytes => _firstBytes.Task;
        /// <summary>Completes when the handler returned, however its stream ended.</summary>
        public Task Done => _done.Task;

        public async Task RunAsync(IContactLink link, IReliableStream stream, CancellationToken ct)
        {
            try
            {
                var buffer = new byte[64];
                while (await stream.ReadAsync(buffer, ct) > 0) _firstBytes.TrySetResult();
            }
            finally { _done.TrySetResult(); }
        }
    }
}
