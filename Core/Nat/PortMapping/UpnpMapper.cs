// The UPnP IGD leaf: SSDP search, device description, then AddPortMapping / DeletePortMapping over SOAP.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// Steps: M-SEARCH (<see cref="SsdpCodec"/>) to the SSDP group and to the gateway's 1900 on
/// <see cref="SsdpSchedule"/>; the first valid answer's LOCATION is fetched (<see cref="UpnpDescription"/>); then
/// GetExternalIPAddress and AddPortMapping for our internal port, asking the same external port (on 718
/// ConflictInMappingEntry, two other ports are tried; on 725 OnlyPermanentLeasesSupported, lease 0 is used and the
/// mapping is refreshed hourly). Renew = AddPortMapping again; release = DeletePortMapping. Renew after half the lease.
/// </summary>
public sealed class UpnpMapper(IPAddress gateway, IPAddress clientAddress, Func<IDatagramSocket> socketFactory, IUpnpHttp http,
    TimeProvider? time = null, NatLog? log = null) : IPortMapper
{
    /// <summary>Three searches, 0.5 s apart, 1.5 s in all: an IGD answers within MX = 1 s.</summary>
    public static RetransmitSchedule SsdpSchedule { get; } = new(TimeSpan.FromMilliseconds(500), 3, TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan PermanentRefresh = TimeSpan.FromHours(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public PortMappingProtocol Protocol => PortMappingProtocol.Upnp;

    public async Task<IPortMapping?> TryMapAsync(int internalPort, TimeSpan lifetime, CancellationToken ct)
    {
        try
        {
            var location = await SearchAsync(ct).ConfigureAwait(false) ?? throw new PortMappingException($"no IGD answered the SSDP search ({SsdpSchedule.Total.TotalSeconds:0.#} s)");
            var description = await http.GetAsync(location, ct).ConfigureAwait(false);
            if (description.Status != 200) throw new PortMappingException($"GET {location}: HTTP {description.Status}");
            if (UpnpDescription.TryFindService(description.Body, location, out var service) is { } bad) throw new PortMappingException($"description {location}: {bad}");
            var external = await ExternalAddressAsync(service, ct).ConfigureAwait(false);
            var mapping = new Mapping(this, service, internalPort, (uint)lifetime.TotalSeconds, external);
            await mapping.AddAsync(ct, firstTime: true).ConfigureAwait(false);
            return mapping;
        }
        catch (PortMappingException e)
        {
            log.Write($"upnp: no mapping via {gateway}: {e.Message}");
            return null;
        }
    }

    private async Task<Uri?> SearchAsync(CancellationToken ct)
    {
        var search = SsdpCodec.Search();
        using var socket = socketFactory();
        var receiver = new SsdpReceiver(log);
        var request = new RetransmittingRequest<Uri>(_time, SsdpSchedule, () =>
        {
            socket.Send(search, new IPEndPoint(SsdpCodec.Group, SsdpCodec.Port));
            socket.Send(search, new IPEndPoint(gateway, SsdpCodec.Port));
        }, ct);
        receiver.Request = request;
        socket.Start(receiver);
        request.Start();
        return await request.Result.ConfigureAwait(false);
    }

    private async Task<IPAddress> ExternalAddressAsync(UpnpDescription.Service service, CancellationToken ct)
    {
        var answer = await Soap(service, "GetExternalIPAddress", UpnpSoap.GetExternalIPAddress(service.ServiceType), ct).ConfigureAwait(false);
        if (UpnpSoap.TryReadValue(answer, "NewExternalIPAddress", out var text) is { } bad) throw new PortMappingException($"GetExternalIPAddress: {bad}");
        if (!IPAddress.TryParse(text, out var address) || address.Equals(IPAddress.Any))
            throw new PortMappingException($"GetExternalIPAddress answered '{(text.Length > 40 ? text[..40] : text)}', which is no address");
        return address;
    }

    /// <summary>Posts an action; a SOAP fault becomes <see cref="UpnpFaultException"/>.</summary>
    private async Task<string> Soap(UpnpDescription.Service service, string action, string body, CancellationToken ct)
    {
        var answer = await http.PostSoapAsync(service.ControlUrl, UpnpSoap.SoapAction(service.ServiceType, action), body, ct).ConfigureAwait(false);
        if (answer.Status == 200) return answer.Body;
        if (UpnpSoap.ReadFault(answer.Body) is { } fault) throw new UpnpFaultException(action, fault.Code, fault.Description);
        throw new PortMappingException($"{action}: HTTP {answer.Status}");
    }

    private sealed class UpnpFaultException(string action, int code, string description) : PortMappingException($"{action}: UPnP error {code} {description}")
    {
        public int Code { get; } = code;
    }

    private sealed class SsdpReceiver(NatLog? log) : IDatagramReceiver
    {
        public RetransmittingRequest<Uri>? Request { get; set; }

        public void OnDatagram(Span<byte> datagram, EndPoint remote)
        {
            if (remote is not IPEndPoint from) return;
            if (SsdpCodec.TryParseAnswer(datagram, from.Address, out var answer) is { } why)
            {
                log.Write($"upnp: refused an SSDP answer from {from}: {why}");
                return;
            }
            Request?.TryComplete(answer.Location);
        }

        public void OnBatchEnd() { }
    }

    private sealed class Mapping(UpnpMapper owner, UpnpDescription.Service service, int internalPort, uint leaseSeconds, IPAddress externalAddress) : IPortMapping
    {
        private uint _lease = leaseSeconds;

        public PortMappingProtocol Protocol => PortMappingProtocol.Upnp;
        public IPEndPoint External { get; private set; } = new(externalAddress, internalPort);
        public int InternalPort => internalPort;
        public DateTimeOffset RenewAfter { get; private set; }
        public DateTimeOffset GoodUntil { get; private set; }

        public Task RenewAsync(CancellationToken ct) => AddAsync(ct, firstTime: false);

        public async Task AddAsync(CancellationToken ct, bool firstTime)
        {
            int[] ports = firstTime ? [internalPort, 1024 + (internalPort * 7 + 13) % 64000, 1024 + (internalPort * 13 + 7) % 64000] : [External.Port];
            for (int i = 0; ; i++)
            {
                try
                {
                    var body = UpnpSoap.AddPortMapping(service.ServiceType, ports[i], internalPort, owner.ClientAddress, _lease, "p2pchat");
                    await owner.Soap(service, "AddPortMapping", body, ct).ConfigureAwait(false);
                    External = new IPEndPoint(External.Address, ports[i]);
                    var now = owner._time.GetUtcNow();
                    GoodUntil = _lease == 0 ? DateTimeOffset.MaxValue : now + TimeSpan.FromSeconds(_lease);
                    RenewAfter = now + (_lease == 0 ? PermanentRefresh : TimeSpan.FromSeconds(_lease / 2.0));
                    return;
                }
                catch (UpnpFaultException e) when (e.Code == 725 && _lease != 0)
                {
                    _lease = 0;   // only permanent leases: ask again for this port, delete on exit
                    i--;
                }
                catch (UpnpFaultException e) when (e.Code == 718 && i + 1 < ports.Length) { }
            }
        }

        public async Task ReleaseAsync(CancellationToken ct)
        {
            try
            {
                await owner.Soap(service, "DeletePortMapping", UpnpSoap.DeletePortMapping(service.ServiceType, External.Port), ct).ConfigureAwait(false);
                owner.Log.Write($"upnp: released {External} -> :{internalPort}");
            }
            catch (Exception e) when (e is PortMappingException or OperationCanceledException)
            {
                owner.Log.Write($"upnp: could not release {External}: {e.Message}");
            }
        }
    }

    private IPAddress ClientAddress => clientAddress;
    private NatLog? Log => log;
}
