// A home router's LAN-side services in the simulator: NAT-PMP and PCP on 5351, SSDP on 1900 and the IGD over in-memory HTTP.
using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using P2PChat.Core.Nat.PortMapping;

namespace P2PChat.NetLab.Sim;

/// <summary>
/// Packets are built here byte by byte from the RFCs (not with Core's codecs, so the two check each other). Each
/// protocol can be switched off (then the router stays silent, like miniupnpd with it disabled), and answers can be
/// tampered with (<see cref="Tamper"/>) or sent from another address (<see cref="AnswerFrom"/>) to test refusals.
/// Mappings land in the <see cref="LabNat"/>'s explicit table, so traffic really flows through them.
/// </summary>
public sealed class FakeRouter : ILabRouter, IUpnpHttp
{
    public const int HttpPort = 5000;
    private readonly LabNat _nat;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _boot;
    private readonly Dictionary<int, string> _upnpOwners = [];

    public FakeRouter(LabNat nat, TimeProvider time)
    {
        _nat = nat;
        _time = time;
        _boot = time.GetUtcNow();
        nat.Router = this;
    }

    public bool NatPmp { get; set; } = true;
    public bool Pcp { get; set; } = true;
    public bool Upnp { get; set; } = true;
    /// <summary>UPnP refuses leases other than 0 with error 725 (some IGDs only do permanent mappings).</summary>
    public bool OnlyPermanentLeases { get; set; }
    /// <summary>Largest lifetime granted (routers shorten requests).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(2);
    /// <summary>Changes every answer datagram (truncate, flip a byte...).</summary>
    public Func<byte[], byte[]>? Tamper { get; set; }
    /// <summary>Answers come from this address instead of the gateway (someone else claiming to be the router).</summary>
    public IPAddress? AnswerFrom { get; set; }
    /// <summary>SSDP LOCATION override (e.g. pointing at another host).</summary>
    public string? SsdpLocation { get; set; }
    /// <summary>Every request seen, "protocol op", for assertions.</summary>
    public List<string> Requests { get; } = [];

    private Uri DescriptionUrl => new($"http://{_nat.GatewayAddress}:{HttpPort}/rootDesc.xml");
    private uint Epoch => (uint)(_time.GetUtcNow() - _boot).TotalSeconds;

    public IEnumerable<(byte[] Data, IPEndPoint From)> Handle(byte[] data, IPEndPoint from, IPEndPoint to)
    {
        byte[]? answer = null;
        if (to.Port == RouterExchange5351 && to.Address.Equals(_nat.GatewayAddress) && data.Length >= 2)
            answer = data[0] switch { 0 when NatPmp => HandleNatPmp(data, from), 2 when Pcp => HandlePcp(data, from), 2 when NatPmp => [0, (byte)(0x80 | data[1]), 0, 1], _ => null };
        else if (to.Port == 1900 && Upnp && Encoding.ASCII.GetString(data).StartsWith("M-SEARCH", StringComparison.Ordinal))
            answer = SsdpAnswer();
        if (answer is null) yield break;
        if (Tamper is not null) answer = Tamper(answer);
        yield return (answer, new IPEndPoint(AnswerFrom ?? _nat.GatewayAddress, to.Port));
    }

    private const int RouterExchange5351 = 5351;

    private byte[] HandleNatPmp(byte[] r, IPEndPoint from)
    {
        if (r[1] == 0)
        {
            Requests.Add("nat-pmp external");
            var a = new byte[12];
            a[1] = 128;
            BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(4), Epoch);
            _nat.PublicAddress.TryWriteBytes(a.AsSpan(8), out _);
            return a;
        }
        var answer = new byte[16];
        answer[1] = (byte)(128 + r[1]);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(4), Epoch);
        if (r[1] != 1 || r.Length != 12) { answer[3] = 5; return answer; }   // only UDP maps here
        int internalPort = BinaryPrimitives.ReadUInt16BigEndian(r.AsSpan(4));
        int suggested = BinaryPrimitives.ReadUInt16BigEndian(r.AsSpan(6));
        uint lifetime = BinaryPrimitives.ReadUInt32BigEndian(r.AsSpan(8));
        var inside = new IPEndPoint(from.Address, internalPort);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(8), (ushort)internalPort);
        if (lifetime == 0)
        {
            Requests.Add("nat-pmp delete");
            foreach (var port in _nat.ExplicitMappings.Where(m => m.Value.Inside.Equals(inside)).Select(m => m.Key).ToList()) _nat.MapExplicit(port, inside, TimeSpan.Zero);
            return answer;
        }
        Requests.Add("nat-pmp map");
        int external = _nat.ExplicitMappings.FirstOrDefault(m => m.Value.Inside.Equals(inside)).Key is var existing and > 0 ? existing : _nat.FreeExternalPort(suggested == 0 ? internalPort : suggested, inside);
        var granted = Math.Min(lifetime, (uint)MaxLifetime.TotalSeconds);
        _nat.MapExplicit(external, inside, TimeSpan.FromSeconds(granted));
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), (ushort)external);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(12), granted);
        return answer;
    }

    private byte[] HandlePcp(byte[] r, IPEndPoint from)
    {
        var a = new byte[60];
        a[0] = 2;
        a[1] = (byte)(0x80 | (r.Length > 1 ? r[1] & 0x7F : 0));
        BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(8), Epoch);
        if (r.Length != 60 || r[1] != 1) { a[3] = r.Length < 60 ? (byte)3 : (byte)4; return a[..24]; }
        uint lifetime = BinaryPrimitives.ReadUInt32BigEndian(r.AsSpan(4));
        var client = new IPAddress(r.AsSpan(8, 16));
        Array.Copy(r, 24, a, 24, 36);   // nonce, protocol, internal port, suggested port/address echoed, then overwritten
        if (!(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).Equals(from.Address)) { a[3] = 12; Requests.Add("pcp mismatch"); return a; }
        int internalPort = BinaryPrimitives.ReadUInt16BigEndian(r.AsSpan(40));
        int suggested = BinaryPrimitives.ReadUInt16BigEndian(r.AsSpan(42));
        var inside = new IPEndPoint(from.Address, internalPort);
        if (lifetime == 0)
        {
            Requests.Add("pcp delete");
            foreach (var port in _nat.ExplicitMappings.Where(m => m.Value.Inside.Equals(inside)).Select(m => m.Key).ToList()) _nat.MapExplicit(port, inside, TimeSpan.Zero);
            return a;
        }
        Requests.Add("pcp map");
        int external = _nat.ExplicitMappings.FirstOrDefault(m => m.Value.Inside.Equals(inside)).Key is var existing and > 0 ? existing : _nat.FreeExternalPort(suggested == 0 ? internalPort : suggested, inside);
        var granted = Math.Min(lifetime, (uint)MaxLifetime.TotalSeconds);
        _nat.MapExplicit(external, inside, TimeSpan.FromSeconds(granted));
        BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(4), granted);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(42), (ushort)external);
        _nat.PublicAddress.MapToIPv6().TryWriteBytes(a.AsSpan(44), out _);
        return a;
    }

    private byte[] SsdpAnswer()
    {
        Requests.Add("ssdp search");
        return Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n" +
            $"USN: uuid:fake-igd::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\nSERVER: FakeRouter/1.0 UPnP/1.1\r\nLOCATION: {SsdpLocation ?? DescriptionUrl.ToString()}\r\n\r\n");
    }

    public Task<UpnpHttpAnswer> GetAsync(Uri url, CancellationToken ct)
    {
        Requests.Add("upnp GET " + url.AbsolutePath);
        if (!Upnp || url.AbsolutePath != "/rootDesc.xml") return Task.FromResult(new UpnpHttpAnswer(404, ""));
        return Task.FromResult(new UpnpHttpAnswer(200, """
            <?xml version="1.0"?>
            <root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
            <device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
             <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
              <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
               <serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
                <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>/ctl/IPConn</controlURL>
                <eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>
              </device></deviceList></device></deviceList></device></root>
            """));
    }

    public Task<UpnpHttpAnswer> PostSoapAsync(Uri url, string soapAction, string body, CancellationToken ct)
    {
        var action = soapAction.Trim('"').Split('#').Last();
        Requests.Add("upnp " + action);
        if (!Upnp || url.AbsolutePath != "/ctl/IPConn") return Task.FromResult(new UpnpHttpAnswer(404, ""));
        string Arg(string name) => ArgPattern(name).Match(body) is { Success: true } m ? m.Groups[1].Value : "";
        switch (action)
        {
            case "GetExternalIPAddress":
                return Ok(action, $"<NewExternalIPAddress>{_nat.PublicAddress}</NewExternalIPAddress>");
            case "AddPortMapping":
                int external = int.Parse(Arg("NewExternalPort")), internalPort = int.Parse(Arg("NewInternalPort"));
                uint lease = uint.Parse(Arg("NewLeaseDuration"));
                if (OnlyPermanentLeases && lease != 0) return Fault(725, "OnlyPermanentLeasesSupported");
                var inside = new IPEndPoint(IPAddress.Parse(Arg("NewInternalClient")), internalPort);
                if (!_nat.MapExplicit(external, inside, lease == 0 ? TimeSpan.FromDays(3650) : TimeSpan.FromSeconds(lease))) return Fault(718, "ConflictInMappingEntry");
                return Ok(action, "");
            case "DeletePortMapping":
                int port = int.Parse(Arg("NewExternalPort"));
                if (!_nat.ExplicitMappings.TryGetValue(port, out var entry)) return Fault(714, "NoSuchEntryInArray");
                _nat.MapExplicit(port, entry.Inside, TimeSpan.Zero);
                return Ok(action, "");
            default:
                return Fault(401, "Invalid Action");
        }
    }

    private static Task<UpnpHttpAnswer> Ok(string action, string inner) => Task.FromResult(new UpnpHttpAnswer(200,
        $"<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:{action}Response xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">{inner}</u:{action}Response></s:Body></s:Envelope>"));

    private static Task<UpnpHttpAnswer> Fault(int code, string description) => Task.FromResult(new UpnpHttpAnswer(500,
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>" +
        $"<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>{code}</errorCode><errorDescription>{description}</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>"));

    private static Regex ArgPattern(string name) => new($"<{name}>([^<]*)</{name}>");
}
