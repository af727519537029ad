// The NAT-PMP leaf (RFC 6886): asks the gateway for its external address, then for a UDP mapping; renews; deletes.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// Two exchanges with the gateway's 5351 (<see cref="NatPmpCodec"/>): external address, then map with our internal
/// port as the suggested external port. Renew = the same map request; release = lifetime 0, external port 0.
/// Renew after half the granted lifetime. An external address that is unspecified is refused.
/// </summary>
public sealed class NatPmpMapper(IPAddress gateway, Func<IDatagramSocket> socketFactory, TimeProvider? time = null,
    RetransmitSchedule? schedule = null, NatLog? log = null) : IPortMapper
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly RetransmitSchedule _schedule = schedule ?? RetransmitSchedule.Router;

    public PortMappingProtocol Protocol => PortMappingProtocol.NatPmp;

    public async Task<IPortMapping?> TryMapAsync(int internalPort, TimeSpan lifetime, CancellationToken ct)
    {
        try
        {
            var external = await ExternalAddressAsync(ct).ConfigureAwait(false);
            var mapping = new Mapping(this, internalPort, (uint)lifetime.TotalSeconds, external);
            await mapping.RenewAsync(ct).ConfigureAwait(false);
            return mapping;
        }
        catch (PortMappingException e)
        {
            log.Write($"nat-pmp: no mapping via {gateway}: {e.Message}");
            return null;
        }
    }

    private async Task<IPAddress> ExternalAddressAsync(CancellationToken ct)
    {
        NatPmpCodec.ExternalAddressAnswer parsed = default;
        var answer = await Exchange(NatPmpCodec.ExternalAddressRequest(), a => NatPmpCodec.TryParseExternalAddress(a, out parsed), ct).ConfigureAwait(false);
        if (answer is null) throw new PortMappingException($"no answer from {gateway}:{RouterExchange.Port}");
        if (parsed.Result != 0) throw new PortMappingException($"external address refused: {NatPmpCodec.ResultText(parsed.Result)}");
        if (parsed.Address.Equals(IPAddress.Any)) throw new PortMappingException("the gateway has no external address yet (0.0.0.0)");
        return parsed.Address;
    }

    private Task<byte[]?> Exchange(byte[] request, Func<byte[], string?> validate, CancellationToken ct) =>
        RouterExchange.RunAsync(socketFactory, gateway, request, validate, _time, _schedule, log, "nat-pmp", ct);

    private sealed class Mapping(NatPmpMapper owner, int internalPort, uint lifetimeSeconds, IPAddress externalAddress) : IPortMapping
    {
        public PortMappingProtocol Protocol => PortMappingProtocol.NatPmp;
        public IPEndPoint External { get; private set; } = new(externalAddress, 0);
        public int InternalPort => internalPort;
        public DateTimeOffset RenewAfter { get; private set; }
        public DateTimeOffset GoodUntil { get; private set; }

        public async Task RenewAsync(CancellationToken ct)
        {
            var suggested = External.Port == 0 ? internalPort : External.Port;
            var answer = await Map(suggested, lifetimeSeconds, ct).ConfigureAwait(false);
            if (answer.LifetimeSeconds == 0) throw new PortMappingException("the gateway granted a lifetime of 0");
            var now = owner._time.GetUtcNow();
            External = new IPEndPoint(External.Address, answer.ExternalPort);
            GoodUntil = now + TimeSpan.FromSeconds(answer.LifetimeSeconds);
            RenewAfter = now + TimeSpan.FromSeconds(answer.LifetimeSeconds / 2.0);
        }

        public async Task ReleaseAsync(CancellationToken ct)
        {
            try
            {
                // RFC 6886 3.4: delete = map request with the internal port, external port 0 and lifetime 0.
                await Map(0, 0, ct).ConfigureAwait(false);
                owner.Log.Write($"nat-pmp: released {External} -> :{internalPort}");
            }
            catch (Exception e) when (e is PortMappingException or OperationCanceledException)
            {
                owner.Log.Write($"nat-pmp: could not release {External}: {e.Message}");
            }
        }

        private async Task<NatPmpCodec.MapAnswer> Map(int suggested, uint lifetime, CancellationToken ct)
        {
            NatPmpCodec.MapAnswer parsed = default;
            var raw = await owner.Exchange(NatPmpCodec.MapUdpRequest(internalPort, suggested, lifetime),
                a => NatPmpCodec.TryParseMap(a, internalPort, out parsed), ct).ConfigureAwait(false);
            if (raw is null) throw new PortMappingException($"no answer from {owner.Gateway}:{RouterExchange.Port}");
            if (parsed.Result != 0) throw new PortMappingException($"map refused: {NatPmpCodec.ResultText(parsed.Result)}");
            return parsed;
        }
    }

    private IPAddress Gateway => gateway;
    private NatLog? Log => log;
}
