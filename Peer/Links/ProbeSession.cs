// The stand-in for the link engine: pings every remote candidate from the shared socket, answers the peer's pings,
// nominates the first candidate that answers, then keeps probing it to notice when it dies.
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Peer.Links;

/// <summary>A direct path that answered: where to send, how it was found (lan, reflexive, mapped) and its round trip.</summary>
public sealed record DirectPath(IPEndPoint Remote, string Via, TimeSpan Rtt);

/// <summary>
/// One introduction's checks (until the Core link engine, issue 11 part 1, replaces it). Both sides ping each remote
/// IPv4 candidate (every 100 ms for the first second, then every 500 ms) until <see cref="Deadline"/>; a valid ping is
/// answered at once with a pong of the same size, and its source is pinged too (a peer-reflexive candidate). The first
/// valid pong nominates its source. Afterwards <see cref="Monitor"/> pings the path every <see cref="MonitorInterval"/>
/// and reports it lost after <see cref="MissedBeforeLost"/> intervals without a pong. Packets that fail the MAC are
/// dropped without state or answer.
/// </summary>
public sealed class ProbeSession : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MonitorInterval = TimeSpan.FromSeconds(1);
    public const int MissedBeforeLost = 4;

    private readonly IDatagramSocket _socket;
    private readonly byte[] _token;
    private readonly bool _controls;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<LinkCandidate> _remote;
    private readonly ConcurrentDictionary<ulong, (IPEndPoint To, long SentAt)> _sent = new();
    private readonly ConcurrentDictionary<IPEndPoint, byte> _targets = new();
    private readonly TaskCompletionSource<DirectPath?> _found = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private long _lastPong;
    private DirectPath? _monitored;

    public ProbeSession(IDatagramSocket socket, ReadOnlyMemory<byte> token, bool controls, IReadOnlyList<LinkCandidate> remote, TimeProvider time)
    {
        _socket = socket;
        _token = token.ToArray();
        _controls = controls;
        _remote = remote;
        _time = time;
        foreach (var c in remote.Where(c => c.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)) _targets.TryAdd(c.EndPoint, 0);
    }

    /// <summary>The nominated path, or null when none answered before the deadline.</summary>
    public Task<DirectPath?> Found => _found.Task;

    public void Start() => _ = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var started = _time.GetTimestamp();
        try
        {
            while (!_found.Task.IsCompleted && _time.GetElapsedTime(started) < Deadline)
            {
                foreach (var target in _targets.Keys) SendPing(target);
                var pace = _time.GetElapsedTime(started) < TimeSpan.FromSeconds(1) ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(500);
                await Task.Delay(pace, _time, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
        _found.TrySetResult(null);
    }

    private void SendPing(IPEndPoint to)
    {
        var nonce = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        _sent[nonce] = (to, _time.GetTimestamp());
        if (_sent.Count > 4096) _sent.Clear();
        _socket.Send(ProbePacket.Write(ProbePacket.Ping, nonce, _token, _controls), to);
    }

    /// <summary>Handles a probe packet if it is this session's; false when its MAC is not ours.</summary>
    public bool OnProbe(ReadOnlySpan<byte> packet, IPEndPoint from)
    {
        if (!ProbePacket.Verify(packet, _token, !_controls)) return false;
        var (type, nonce) = ProbePacket.Read(packet);
        if (type == ProbePacket.Ping)
        {
            _socket.Send(ProbePacket.Write(ProbePacket.Pong, nonce, _token, _controls), from);
            if (!_found.Task.IsCompleted && _targets.TryAdd(from, 0)) SendPing(from);   // peer-reflexive: try it too
            return true;
        }
        if (!_sent.TryRemove(nonce, out var sent) || !sent.To.Equals(from)) return true;
        Interlocked.Exchange(ref _lastPong, _time.GetTimestamp());
        _found.TrySetResult(new DirectPath(from, ViaOf(from), _time.GetElapsedTime(sent.SentAt)));
        return true;
    }

    private string ViaOf(IPEndPoint remote) => _remote.FirstOrDefault(c => c.EndPoint.Equals(remote))?.Kind switch
    {
        LinkCandidateKind.Lan => "lan",
        LinkCandidateKind.Mapped => "mapped",
        _ => "reflexive",
    };

    /// <summary>Keeps pinging <paramref name="path"/> (a keepalive for the NAT bindings too); calls <paramref name="lost"/>
    /// once when no pong came for <see cref="MissedBeforeLost"/> intervals.</summary>
    public void Monitor(DirectPath path, Action lost)
    {
        _monitored = path;
        Interlocked.Exchange(ref _lastPong, _time.GetTimestamp());
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    SendPing(path.Remote);
                    await Task.Delay(MonitorInterval, _time, _stop.Token).ConfigureAwait(false);
                    if (_time.GetElapsedTime(Interlocked.Read(ref _lastPong)) > MonitorInterval * MissedBeforeLost)
                    {
                        lost();
                        return;
                    }
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>The monitored path, if any.</summary>
    public DirectPath? Monitored => _monitored;

    public void Dispose()
    {
        _stop.Cancel();
        _found.TrySetResult(null);
    }
}
