// Runs one throwaway link in memory after sign-in, so a contact's first link does not pay for compiling its own code.
using System.Net;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Nat;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.Peer.Links;

/// <summary>
/// <para>The peer runs ReadyToRun without tiered compilation, but ReadyToRun cannot precompile generic code over
/// framework types (async state machines' builders, dictionaries and channels of our types), so the first link set-up
/// compiled a few hundred such methods, fully optimised, on the link's own threads: between the introduction and the
/// direct link, on the critical path of both peers (the phases line, "JIT meanwhile", counts them).</para>
/// <para><see cref="RunAsync"/> makes the same link inside the process instead, once per process: the link engine's
/// checks between two fresh UDP sockets on 127.0.0.1 (<see cref="LinkEstablisher"/>, a host pair, through to the
/// nomination; nothing is sent off loopback), then two transport endpoints over
/// two <see cref="LinkPathSocket"/>s handed to each other as the relay would (no socket, no packet leaves the
/// process), the Noise XX link handshake between two throwaway identities (<see cref="SecureLink"/>), a
/// <see cref="ContactLink"/> each with a stream router, and one PM each way over <see cref="LinkMessageStreams"/>.
/// Then both close. (The events' JSON is generated at compile time since the native AOT peer, so there is no
/// serializer left to build at its first use.) It costs some tens of milliseconds of one core's time, once, in the background after sign-in;
/// a failure only means the first real link compiles what is left.</para>
/// <para>The native AOT peer (scripts/programs.sh) compiles nothing at run time: there it only logs that once.</para>
/// </summary>
public static class LinkWarmUp
{
    private static readonly EndPoint Virtual = new IPEndPoint(IPAddress.Any, 1);
    private static int _started;

    /// <summary>Off when the environment says <c>P2PCHAT_LINK_WARMUP=0</c> (for an A/B of the first link's set-up only).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("P2PCHAT_LINK_WARMUP") != "0";

    /// <summary>Bounds the whole run (it takes milliseconds; a machine too busy for that skips the rest).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Runs the in-memory link once per process (later calls return at once, and every call when not
    /// <see cref="Enabled"/>); never throws.</summary>
    public static async Task RunAsync(Action<string>? log, CancellationToken ct)
    {
        if (!Enabled || Interlocked.Exchange(ref _started, 1) != 0) return;
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled)
        {
            log?.Invoke("links: no link warm-up: the peer is native AOT code, nothing is compiled at run time");
            return;
        }
        long methods = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        long started = TimeProvider.System.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Limit);
        try
        {
            await WarmAsync(limit.Token).ConfigureAwait(false);
            log?.Invoke($"links: warmed up the link path in {TimeProvider.System.GetElapsedTime(started).TotalMilliseconds:0} ms " +
                $"({System.Runtime.JitInfo.GetCompiledMethodCount() - methods} methods compiled, {(System.Runtime.JitInfo.GetCompilationTime() - jit).TotalMilliseconds:0} ms of JIT)");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!ct.IsCancellationRequested) log?.Invoke($"links: the link warm-up stopped early ({e.GetType().Name}: {e.Message}); the first link compiles the rest");
        }
    }

    /// <summary>The in-memory link itself, every time it is called; throws when a step fails (tests call it).</summary>
    internal static async Task WarmAsync(CancellationToken ct)
    {
        await RunChecksAsync(ct).ConfigureAwait(false);
        await RunLinkAsync(ct).ConfigureAwait(false);
    }

    private static async Task RunChecksAsync(CancellationToken ct)
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        using var one = new CheckDemultiplexer(Core.Transport.Sockets.UdpDatagramSocket.Bind(loopback));
        using var two = new CheckDemultiplexer(Core.Transport.Sockets.UdpDatagramSocket.Bind(loopback));
        LocalCandidates Side(CheckDemultiplexer socket) =>
            new([new CandidateBase(socket, [new Candidate(CandidateKind.Host, (IPEndPoint)socket.LocalEndPoint)])], MappingBehaviour.NoNat);
        var token = RandomNumberGenerator.GetBytes(32);
        var time = TimeProvider.System;
        var controlled = LinkEstablisher.EstablishAsync(Side(two), Side(one).ToCandidateSet(), token, CheckRole.Controlled, EngineCandidates.NewSocket, time, ct);
        var controlling = LinkEstablisher.EstablishAsync(Side(one), Side(two).ToCandidateSet(), token, CheckRole.Controlling, EngineCandidates.NewSocket, time, ct);
        var results = await Task.WhenAll(controlling, controlled).ConfigureAwait(false);
        foreach (var result in results) result.Path?.Dispose();
        if (results[0].Path is null) throw new InvalidOperationException($"the warm-up checks found no path ({results[0].Outcome})");
    }

    private static async Task RunLinkAsync(CancellationToken ct)
    {
        var time = TimeProvider.System;
        LinkPathSocket? connecting = null, accepting = null;
        // Each side's datagrams reach the other on a pool thread, as the relay's do (never inline: the transport may
        // send from inside its receive).
        connecting = new LinkPathSocket(Virtual, packet => Hand(packet, accepting!), time);
        accepting = new LinkPathSocket(Virtual, packet => Hand(packet, connecting), time);
        using var me = IdentityKeyPair.Generate();
        using var them = IdentityKeyPair.Generate();
        await using var outbound = new UdpTransportEndpoint(connecting, LinkTransportOptions.For(acceptIncoming: false), time);
        await using var inbound = new UdpTransportEndpoint(accepting, LinkTransportOptions.For(acceptIncoming: true), time);
        var accepted = inbound.AcceptAsync(ct);
        var connection = await outbound.ConnectAsync(Virtual, ct).ConfigureAwait(false);
        var other = await accepted.ConfigureAwait(false);
        // As in PeerLinks: the connecting side responds, the accepting side initiates.
        var responded = SecureLink.RespondAsync(connection, me, them.Public.Equals, ct);
        await SecureLink.InitiateAsync(other, them, me.Public, ct).ConfigureAwait(false);
        await responded.ConfigureAwait(false);

        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var router = new ContactStreamRouter();
        using var registration = router.Register(PayloadKind.PrivateMessage, (_, stream, token) =>
            LinkMessageStreams.ReceiveAsync(stream, (_, _) =>
            {
                received.TrySetResult();
                return ValueTask.CompletedTask;
            }, token));
        await using var mine = new ContactLink(connection, new Tag(1), them.Public, LinkRoute.Relay, router);
        await using var theirs = new ContactLink(other, new Tag(2), me.Public, LinkRoute.Relay, router);
        mine.Start();
        theirs.Start();
        var streams = new LinkMessageStreams();
        var message = LinkMessageCodec.Encode(LinkMessageCodec.Flags.Encrypted, new byte[64]);
        if (!await streams.SendAsync(mine, message, ct).ConfigureAwait(false)) throw new InvalidOperationException("the warm-up PM was not taken");
        if (!await streams.SendAsync(theirs, message, ct).ConfigureAwait(false)) throw new InvalidOperationException("the warm-up reply was not taken");
        await received.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    private static void Hand(ReadOnlyMemory<byte> packet, LinkPathSocket to)
    {
        var copy = packet.ToArray();
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.To.OnRelayed(state.Copy), (To: to, Copy: copy), preferLocal: false);
    }
}
