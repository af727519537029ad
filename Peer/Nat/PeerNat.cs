// The peer's NAT side: one shared UDP socket (STUN + transport), discovery on demand, a kept port mapping, release on exit.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.PortMapping;
using P2PChat.Core.Nat.Stun;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Nat;

/// <summary>
/// Created with the session, it opens nothing until the first <see cref="DiscoverAsync"/>. Then it binds one IPv4
/// UDP socket (0.0.0.0:0) behind a <see cref="StunDemultiplexer"/> (the socket direct links use: <see cref="LinkSocket"/>;
/// its reflexive address and router mapping are the link candidates), asks the STUN servers, and in parallel asks the router for a mapping of that
/// port (UPnP, PCP, NAT-PMP), kept alive by a <see cref="PortMappingKeeper"/>. IPv6 STUN servers are asked from a
/// separate [::]:0 socket. With <c>portMapping</c> false (--no-port-mapping) the router is never asked. Disposing (on /quit, end of input or SIGTERM) deletes the mapping at the router.
/// <para>A router that does not answer costs up to 9 s of retries (<see cref="PortMapProber"/>), so the link layer never
/// waits for it: <see cref="DiscoverAsync(bool, CancellationToken)"/> with <c>waitForMapping</c> false returns once STUN
/// has answered, with the mapping only if it was already granted, and the attempt goes on in the background;
/// <see cref="MappingFound"/> says when it succeeds, so the mapped candidate is published then. At most one attempt runs
/// at a time. /nat waits for it.</para>
/// </summary>
public sealed class PeerNat(IReadOnlyList<ServerAddress> stunServers, bool portMapping = true, NatLog? log = null, TimeProvider? time = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private StunDemultiplexer? _socket;
    private StunClient? _stun;
    private StunDemultiplexer? _socket6;
    private StunClient? _stun6;
    private PortMappingKeeper? _keeper;
    private UpnpHttpClient? _http;
    private bool _disposed;

    /// <summary>Lease asked of the router (renewed at half).</summary>
    public TimeSpan MappingLifetime { get; init; } = PortMapProber.DefaultLifetime;

    /// <summary>"upnp", "pcp" or "nat-pmp" to ask with that protocol only (lab tests); null tries all three.</summary>
    public string? OnlyProtocol { get; init; }

    /// <summary>The live router mapping, if any (for tests and the TUI).</summary>
    public IPortMapping? Mapping => _keeper?.Current;

    /// <summary>The IPv4 mapping behaviour the last discovery found (null before the first).</summary>
    public MappingBehaviour? Behaviour { get; private set; }

    /// <summary>Raised (on a pool thread) when a background mapping attempt got a mapping from the router.</summary>
    public event Action<IPortMapping>? MappingFound;

    /// <summary>Discovery with the router's answer on port mapping (/nat).</summary>
    public Task<NatEvent> DiscoverAsync(CancellationToken ct) => DiscoverAsync(waitForMapping: true, ct);

    /// <param name="waitForMapping">false: do not wait for the router (see the class summary); a mapping granted while
    /// STUN was asked is still included.</param>
    public async Task<NatEvent> DiscoverAsync(bool waitForMapping, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (stunServers.Count == 0) throw new CommandFailedException(PeerErrorCode.BadArguments, "no STUN server: give --stun HOST:PORT or --server");
            var resolved = await StunServerList.ResolveAsync(stunServers, ct).ConfigureAwait(false);
            EnsureSocket();
            int port = ((IPEndPoint)_socket!.LocalEndPoint).Port;
            var addresses = LocalAddresses.All();
            if (addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)) TryEnsureSocket6();
            var v4 = resolved.Where(r => r.EndPoint?.AddressFamily == AddressFamily.InterNetwork).ToList();
            var v6 = resolved.Where(r => r.EndPoint?.AddressFamily == AddressFamily.InterNetworkV6).ToList();

            var mapping = MappingAttempt(port);
            var report = ReflexiveDiscovery.DiscoverAsync(_stun!, [.. v4.Select(r => r.EndPoint!)],
                [.. LocalAddresses.WithLoopback(addresses).Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => new IPEndPoint(a, port))], port, ct);
            var report6 = v6.Count == 0 ? Task.FromResult<ReflexiveReport?>(null) : Discover6Async([.. v6.Select(r => r.EndPoint!)], addresses, ct);
            if (waitForMapping) await Task.WhenAll(mapping.WaitAsync(ct), report, report6).ConfigureAwait(false);
            else await Task.WhenAll(report, (Task)report6).ConfigureAwait(false);
            Behaviour = report.Result.Behaviour;
            int port6 = _socket6 is { } s6 ? ((IPEndPoint)s6.LocalEndPoint).Port : port;
            var mapped = mapping.IsCompletedSuccessfully ? mapping.Result : null;
            return Describe(resolved, port, port6, addresses, report.Result, report6.Result, mapped);
        }
        finally
        {
            _gate.Release();
        }
    }

    private readonly Lock _socketGate = new();

    /// <summary>The shared IPv4 UDP socket (bound on first use): STUN is split off, everything else goes to whoever
    /// <see cref="IDatagramSocket.Start"/>s it — the direct-link layer (Peer/Links).</summary>
    public StunDemultiplexer LinkSocket
    {
        get
        {
            EnsureSocket();
            return _socket!;
        }
    }

    /// <summary>The shared IPv6 UDP socket ([::]:0, bound by the first <see cref="DiscoverAsync"/> on a host with a
    /// non-link-local IPv6 address): IPv6 STUN and IPv6 direct links. Null when the host has none or IPv6 is off.</summary>
    public StunDemultiplexer? LinkSocket6
    {
        get { lock (_socketGate) return _socket6; }
    }

    private void TryEnsureSocket6()
    {
        lock (_socketGate)
        {
            if (_socket6 is not null || _disposed) return;
            try { _socket6 = new StunDemultiplexer(Reported(UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0)))); }
            catch (SocketException e)
            {
                log?.Invoke($"nat: no IPv6 socket: {e.Message}");
                return;
            }
            _stun6 = new StunClient(_socket6, _time, log: log);
        }
    }

    /// <summary>A shared link socket whose first failing datagram handler is told on the diagnostics log (the socket
    /// itself carries on).</summary>
    private UdpDatagramSocket Reported(UdpDatagramSocket socket)
    {
        socket.ReceiverFaulted += e => log?.Invoke($"nat: a handler of the link socket {socket.LocalEndPoint} failed; that datagram was dropped: {e}");
        return socket;
    }

    private void EnsureSocket()
    {
        lock (_socketGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_socket is not null) return;
            _socket = new StunDemultiplexer(Reported(UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 0))));
            _stun = new StunClient(_socket, _time, log: log);
        }
    }

    private async Task<ReflexiveReport?> Discover6Async(IReadOnlyList<IPEndPoint> servers, IReadOnlyList<IPAddress> addresses, CancellationToken ct)
    {
        TryEnsureSocket6();
        if (_socket6 is null) return null;
        int port = ((IPEndPoint)_socket6.LocalEndPoint).Port;
        return await ReflexiveDiscovery.DiscoverAsync(_stun6!, servers,
            [.. LocalAddresses.WithLoopback(addresses).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).Select(a => new IPEndPoint(a, port))], port, ct).ConfigureAwait(false);
    }

    /// <summary>The kept mapping, else the running attempt, else a new attempt (in the background: it outlives the caller).</summary>
    private Task<IPortMapping?> MappingAttempt(int port)
    {
        lock (_socketGate)
        {
            if (_keeper?.Current is { } kept) return Task.FromResult<IPortMapping?>(kept);
            if (_mapping is null || _mapping.IsCompleted) _mapping = MapInBackgroundAsync(port);
            return _mapping;
        }
    }

    private async Task<IPortMapping?> MapInBackgroundAsync(int port)
    {
        await Task.Yield();   // the caller goes on to STUN at once
        try
        {
            var mapping = await MapAsync(port, _stop.Token).ConfigureAwait(false);
            if (mapping is not null) MappingFound?.Invoke(mapping);
            return mapping;
        }
        catch (OperationCanceledException) { return null; }
        catch (Exception e) when (e is SocketException or HttpRequestException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            log?.Invoke($"nat: port mapping failed: {e.Message}");
            return null;
        }
    }

    private Task<IPortMapping?>? _mapping;
    private readonly CancellationTokenSource _stop = new();

    private async Task<IPortMapping?> MapAsync(int port, CancellationToken ct)
    {
        if (!portMapping) return null;
        if (_keeper is not null) await _keeper.DisposeAsync().ConfigureAwait(false);   // lost: start again
        _keeper = null;
        if (GatewayInfo.DefaultGateway() is not { } gateway)
        {
            log?.Invoke("nat: no IPv4 default gateway, so no router to ask for a port mapping");
            return null;
        }
        if (GatewayInfo.LocalAddressToward(gateway) is not { } client) return null;
        _http ??= new UpnpHttpClient();
        IDatagramSocket NewSocket() => UdpDatagramSocket.Bind(new IPEndPoint(client, 0));
        IPortMapper[] all =
        [
            new UpnpMapper(gateway, client, NewSocket, _http, _time, log),
            new PcpMapper(gateway, client, NewSocket, _time, log: log),
            new NatPmpMapper(gateway, NewSocket, _time, log: log),
        ];
        var prober = new PortMapProber([.. all.Where(m => OnlyProtocol is null || OnlyProtocol == ProtocolName(m.Protocol).Replace('_', '-'))], log);
        var mapping = await prober.MapAsync(port, MappingLifetime, ct).ConfigureAwait(false);
        if (mapping is not null) _keeper = new PortMappingKeeper(mapping, _time, log);
        return mapping;
    }

    private static NatEvent Describe(IReadOnlyList<(ServerAddress Given, IPEndPoint? EndPoint, string? Error)> resolved, int port, int port6,
        IReadOnlyList<IPAddress> addresses, ReflexiveReport report, ReflexiveReport? report6, IPortMapping? mapping)
    {
        var answers = resolved.Select(r =>
        {
            var result = report.Results.Concat(report6?.Results ?? []).FirstOrDefault(x => r.EndPoint is not null && x.Server.Equals(r.EndPoint));
            return new NatServerAnswer(r.Given.ToString(), result?.Reflexive?.ToString(), r.Error ?? result?.Error);
        }).ToList();
        var ipv6 = addresses.Where(LocalAddresses.IsGlobalIpv6).Select(a => a.ToString()).ToList();
        var candidates = new List<NatCandidate>();
        if (mapping is not null) candidates.Add(new("mapped", mapping.External.ToString()));
        if (report.Reflexive is { } r4 && report.Behaviour != MappingBehaviour.NoNat) candidates.Add(new("reflexive", r4.ToString()));
        candidates.AddRange(ipv6.Select(a => new NatCandidate("ipv6", new IPEndPoint(IPAddress.Parse(a), port6).ToString())));
        candidates.AddRange(addresses.Where(a => !LocalAddresses.IsGlobalIpv6(a) && !a.IsIPv6LinkLocal)
            .Select(a => new NatCandidate("lan", new IPEndPoint(a, a.AddressFamily == AddressFamily.InterNetwork ? port : port6).ToString())));
        return new NatEvent(report.Behaviour, $"0.0.0.0:{port}", report.Reflexive?.ToString(), report.PortPreserved, answers,
            mapping is null ? null : ProtocolName(mapping.Protocol), mapping?.External.ToString(), mapping?.GoodUntil,
            ipv6, report6?.Reflexive?.ToString(), report6?.Behaviour, candidates);
    }

    private static string ProtocolName(PortMappingProtocol p) => p switch
    {
        PortMappingProtocol.Upnp => "upnp",
        PortMappingProtocol.Pcp => "pcp",
        _ => "nat_pmp",
    };

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            await _stop.CancelAsync().ConfigureAwait(false);
            Task<IPortMapping?>? attempt;
            lock (_socketGate) attempt = _mapping;
            if (attempt is not null) await attempt.ConfigureAwait(false);   // never throws; its keeper is deleted below
            if (_keeper is not null) await _keeper.DisposeAsync().ConfigureAwait(false);
            _socket?.Dispose();
            _socket6?.Dispose();
            _http?.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }
}
