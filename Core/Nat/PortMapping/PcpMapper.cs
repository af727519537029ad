// The PCP leaf (RFC 6887): one MAP exchange maps a UDP port; the same nonce renews and (lifetime 0) deletes it.
using System.Net;
using System.Security.Cryptography;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// <paramref name="clientAddress"/> is our address on the gateway's network (the PCP client IP field must match the
/// source address or the gateway answers ADDRESS_MISMATCH). Renew after half the granted lifetime. An assigned
/// external address that is unspecified is refused.
/// </summary>
public sealed class PcpMapper(IPAddress gateway, IPAddress clientAddress, Func<IDatagramSocket> socketFactory, TimeProvider? time = null,
    RetransmitSchedule? schedule = null, NatLog? log = null) : IPortMapper
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly RetransmitSchedule _schedule = schedule ?? RetransmitSchedule.Router;

    public PortMappingProtocol Protocol => PortMappingProtocol.Pcp;

    public async Task<IPortMapping?> TryMapAsync(int internalPort, TimeSpan lifetime, CancellationToken ct)
    {
        var mapping = new Mapping(this, internalPort, (uint)lifetime.TotalSeconds, RandomNumberGenerator.GetBytes(12));
        try
        {
            await mapping.RenewAsync(ct).ConfigureAwait(false);
            return mapping;
        }
        catch (PortMappingException e)
        {
            log.Write($"pcp: no mapping via {gateway}: {e.Message}");
            return null;
        }
    }

    private async Task<PcpCodec.MapAnswer> MapAsync(byte[] nonce, int internalPort, IPEndPoint? previous, uint lifetime, CancellationToken ct)
    {
        PcpCodec.MapAnswer parsed = default;
        var request = PcpCodec.MapRequest(nonce, clientAddress, internalPort, previous?.Port ?? internalPort, previous?.Address, lifetime);
        var raw = await RouterExchange.RunAsync(socketFactory, gateway, request, a => PcpCodec.TryParseMap(a, nonce, internalPort, out parsed),
            _time, _schedule, log, "pcp", ct).ConfigureAwait(false);
        if (raw is null) throw new PortMappingException($"no answer from {gateway}:{RouterExchange.Port}");
        if (parsed.Result != 0) throw new PortMappingException($"MAP refused: {PcpCodec.ResultText(parsed.Result)}");
        return parsed;
    }

    private sealed class Mapping(PcpMapper owner, int internalPort, uint lifetimeSeconds, byte[] nonce) : IPortMapping
    {
        private IPEndPoint? _external;

        public PortMappingProtocol Protocol => PortMappingProtocol.Pcp;
        public IPEndPoint External => _external ?? new IPEndPoint(IPAddress.Any, 0);
        public int InternalPort => internalPort;
        public DateTimeOffset RenewAfter { get; private set; }
        public DateTimeOffset GoodUntil { get; private set; }

        public async Task RenewAsync(CancellationToken ct)
        {
            var answer = await owner.MapAsync(nonce, internalPort, _external, lifetimeSeconds, ct).ConfigureAwait(false);
            if (answer.LifetimeSeconds == 0) throw new PortMappingException("the gateway granted a lifetime of 0");
            if (answer.External.Address.Equals(IPAddress.Any) || answer.External.Port == 0)
                throw new PortMappingException($"the gateway assigned {answer.External}, which is no address");
            var now = owner._time.GetUtcNow();
            _external = answer.External;
            GoodUntil = now + TimeSpan.FromSeconds(answer.LifetimeSeconds);
            RenewAfter = now + TimeSpan.FromSeconds(answer.LifetimeSeconds / 2.0);
        }

        public async Task ReleaseAsync(CancellationToken ct)
        {
            try
            {
                await owner.MapAsync(nonce, internalPort, _external, 0, ct).ConfigureAwait(false);
                owner.Log.Write($"pcp: released {External} -> :{internalPort}");
            }
            catch (Exception e) when (e is PortMappingException or OperationCanceledException)
            {
                owner.Log.Write($"pcp: could not release {External}: {e.Message}");
            }
        }
    }

    private NatLog? Log => log;
}
