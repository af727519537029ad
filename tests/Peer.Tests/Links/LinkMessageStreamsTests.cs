// PMs on one long-lived link stream: order, answers matched in order, concurrent senders, and falling back when the stream ends or the link dies.
using System.Collections.Concurrent;
using System.Text;
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Transport;
using P2PChat.NetLab.Links;
using P2PChat.Peer.Links;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class LinkMessageStreamsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Message(string text) => LinkMessageCodec.Encode(LinkMessageCodec.Flags.None, Encoding.UTF8.GetBytes(text));

    /// <summary>Two loopback peers; bob takes PM streams with <paramref name="receive"/> and counts the streams he accepted.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly LoopbackLinkHub _hub = new();
        private int _streams;

        public Pair(Func<Incoming, Task> receive)
        {
            Alice = _hub.AddPeer();
            Bob = _hub.AddPeer();
            Bob.OnStream(PayloadKind.PrivateMessage, (link, stream, ct) =>
            {
                Interlocked.Increment(ref _streams);
                return receive(new Incoming(stream, ct));
            });
        }

        public LoopbackContactLinks Alice { get; }
        public LoopbackContactLinks Bob { get; }
        public int StreamsAccepted => Volatile.Read(ref _streams);

        public ValueTask DisposeAsync() => _hub.DisposeAsync();
    }

    private sealed record Incoming(IReliableStream Stream, CancellationToken Ct);

    private static Func<Incoming, Task> Collect(ConcurrentQueue<string> into) => a =>
        LinkMessageStreams.ReceiveAsync(a.Stream, (_, body) =>
        {
            into.Enqueue(Encoding.UTF8.GetString(body));
            return ValueTask.CompletedTask;
        }, a.Ct);

    [Fact]
    public async Task Many_PMs_to_one_link_share_one_stream_arrive_in_order_and_are_each_answered()
    {
        var received = new ConcurrentQueue<string>();
        await using var pair = new Pair(Collect(received));
        var link = await pair.Alice.ConnectAsync(pair.Bob.Tag, Ct);
        var streams = new LinkMessageStreams();

        for (int i = 0; i < 50; i++) Assert.True(await streams.SendAsync(link, Message($"m{i}"), Ct));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), received);
        Assert.Equal(1, pair.StreamsAccepted);
        Assert.Equal(1, streams.OpenCount);
    }

    [Fact]
    public async Task Concurrent_senders_each_get_their_own_answer()
    {
        var received = new ConcurrentQueue<string>();
        await using var pair = new Pair(Collect(received));
        var link = await pair.Alice.ConnectAsync(pair.Bob.Tag, Ct);
        var streams = new LinkMessageStreams();

        var sends = Enumerable.Range(0, 40).Select(i => Task.Run(async () => await streams.SendAsync(link, Message($"c{i}"), Ct), Ct)).ToArray();
        Assert.All(await Task.WhenAll(sends), Assert.True);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"c{i}").Order(), received.Order());
        Assert.Equal(1, pair.StreamsAccepted);
    }

    [Fact]
    public async Task A_receiver_that_ends_the_stream_after_one_PM_fails_the_next_and_the_one_after_goes_on_a_new_stream()
    {
        var received = new ConcurrentQueue<string>();
        // The first version's receiver: one message per stream, answered, then the stream ends.
        await using var pair = new Pair(async a =>
        {
            var header = new byte[LinkMessageCodec.HeaderLength];
            await a.Stream.ReadFullyAsync(header, a.Ct);
            var (_, length) = LinkMessageCodec.ReadHeader(header, out _)!.Value;
            var body = new byte[length];
            await a.Stream.ReadFullyAsync(body, a.Ct);
            received.Enqueue(Encoding.UTF8.GetString(body));
            await a.Stream.WriteAsync(new[] { LinkMessageCodec.Taken }, a.Ct);
            a.Stream.CompleteWrites();
        });
        var link = await pair.Alice.ConnectAsync(pair.Bob.Tag, Ct);
        var streams = new LinkMessageStreams();

        Assert.True(await streams.SendAsync(link, Message("first"), Ct));
        // Each stream's end may be seen before or after the next message is written: that message is then either not
        // taken on the ending stream (false) or goes on a fresh stream (true). A message that failed leaves no stream
        // behind it, so the one after it always goes on a fresh stream and through: never two failures in a row.
        var taken = new List<string> { "first" };
        bool previousFailed = false;
        for (int i = 2; i <= 6; i++)
        {
            var text = $"message {i}";
            bool ok = await streams.SendAsync(link, Message(text), Ct);
            Assert.False(previousFailed && !ok, $"{text} failed right after a failure");
            if (ok) taken.Add(text);
            previousFailed = !ok;
        }

        Assert.Equal(taken, received);
        Assert.Equal(taken.Count, pair.StreamsAccepted);
    }

    [Fact]
    public async Task Every_PM_waiting_for_an_answer_fails_at_once_when_the_link_dies()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Bob reads the messages but never answers, as if his side hung.
        await using var pair = new Pair(a => LinkMessageStreams.ReceiveAsync(a.Stream, async (_, _) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, a.Ct);
        }, a.Ct));
        var link = await pair.Alice.ConnectAsync(pair.Bob.Tag, Ct);
        var streams = new LinkMessageStreams();

        var waiting = new[] { streams.SendAsync(link, Message("a"), Ct).AsTask(), streams.SendAsync(link, Message("b"), Ct).AsTask() };
        await arrived.Task.WaitAsync(Ct);
        pair.Alice.Cut(pair.Bob.Tag);

        Assert.All(await Task.WhenAll(waiting), Assert.False);
        Assert.Equal(0, streams.OpenCount);
    }

    [Fact]
    public async Task A_PM_whose_caller_gives_up_abandons_the_stream_and_the_next_PM_opens_a_new_one()
    {
        var received = new ConcurrentQueue<string>();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = new Pair(a => LinkMessageStreams.ReceiveAsync(a.Stream, async (_, body) =>
        {
            var text = Encoding.UTF8.GetString(body);
            received.Enqueue(text);
            if (text == "stuck")
            {
                arrived.TrySetResult();
                await hold.Task.WaitAsync(a.Ct);   // answered only after the sender gave up
            }
        }, a.Ct));
        var link = await pair.Alice.ConnectAsync(pair.Bob.Tag, Ct);
        var streams = new LinkMessageStreams();

        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stuck = streams.SendAsync(link, Message("stuck"), giveUp.Token).AsTask();
        await arrived.Task.WaitAsync(Ct);
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stuck);
        hold.TrySetResult();

        Assert.True(await streams.SendAsync(link, Message("next"), Ct));
        Assert.Equal(["stuck", "next"], received);
        Assert.Equal(2, pair.StreamsAccepted);
    }
}
