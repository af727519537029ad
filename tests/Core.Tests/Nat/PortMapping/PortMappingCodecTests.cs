// The port-mapping codecs byte by byte (NAT-PMP, PCP, SSDP, IGD description and SOAP), and random input never throwing.
using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Nat.PortMapping;
using Xunit;

namespace P2PChat.Core.Tests.Nat.PortMapping;

public sealed class PortMappingCodecTests
{
    [Fact]
    public void NAT_PMP_requests_have_the_RFC_6886_layout()
    {
        Assert.Equal("0000", Convert.ToHexString(NatPmpCodec.ExternalAddressRequest()));
        Assert.Equal("000100001388138800001C20", Convert.ToHexString(NatPmpCodec.MapUdpRequest(5000, 5000, 7200)));
    }

    [Fact]
    public void NAT_PMP_answers_parse_and_wrong_ones_are_refused()
    {
        Assert.Null(NatPmpCodec.TryParseExternalAddress(Convert.FromHexString("008000000000002AC0000201"), out var ext));
        Assert.Equal((0, 42u, IPAddress.Parse("192.0.2.1")), (ext.Result, ext.Epoch, ext.Address));
        Assert.Null(NatPmpCodec.TryParseMap(Convert.FromHexString("0081000000000001138813890000012C"), 5000, out var map));
        Assert.Equal((5000, 5001, 300u), (map.InternalPort, map.ExternalPort, map.LifetimeSeconds));
        Assert.Contains("internal port 5000, asked 6000", NatPmpCodec.TryParseMap(Convert.FromHexString("0081000000000001138813890000012C"), 6000, out _));
        Assert.Contains("truncated", NatPmpCodec.TryParseMap(Convert.FromHexString("008100000000000113881389"), 5000, out _));
        Assert.Contains("oversized", NatPmpCodec.TryParseExternalAddress(Convert.FromHexString("008000000000002AC000020100"), out _));
        Assert.Contains("opcode", NatPmpCodec.TryParseExternalAddress(Convert.FromHexString("008100000000002AC0000201"), out _));
        Assert.Contains("version", NatPmpCodec.TryParseExternalAddress(Convert.FromHexString("018000000000002AC0000201"), out _));
        Assert.Null(NatPmpCodec.TryParseMap(Convert.FromHexString("00810002"), 5000, out var refused));   // a short refusal
        Assert.Equal(2, refused.Result);
    }

    [Fact]
    public void PCP_MAP_request_has_the_RFC_6887_layout_and_its_answer_round_trips()
    {
        var nonce = Enumerable.Range(1, 12).Select(i => (byte)i).ToArray();
        var r = PcpCodec.MapRequest(nonce, IPAddress.Parse("192.168.1.10"), 5000, 5000, null, 7200);
        Assert.Equal(60, r.Length);
        Assert.Equal("0201000000001C20" + "00000000000000000000FFFFC0A8010A" + "0102030405060708090A0B0C" + "11000000" + "13881388" + "00000000000000000000FFFF00000000",
            Convert.ToHexString(r));
        var answer = (byte[])r.Clone();
        answer[1] = 0x81;
        answer[3] = 0;
        PcpCodec.WriteAddress(answer.AsSpan(44, 16), IPAddress.Parse("192.0.2.1"));
        Assert.Null(PcpCodec.TryParseMap(answer, nonce, 5000, out var parsed));
        Assert.Equal(IPEndPoint.Parse("192.0.2.1:5000"), parsed.External);
        Assert.Equal(7200u, parsed.LifetimeSeconds);
        Assert.Contains("nonce", PcpCodec.TryParseMap(answer, new byte[12], 5000, out _));
        Assert.Contains("internal port", PcpCodec.TryParseMap(answer, nonce, 5001, out _));
        Assert.Contains("truncated", PcpCodec.TryParseMap(answer.AsSpan(0, 59), nonce, 5000, out _));
        Assert.Contains("oversized", PcpCodec.TryParseMap(new byte[1104], nonce, 5000, out _));
        Assert.Null(PcpCodec.TryParseMap(Convert.FromHexString("00810001"), nonce, 5000, out var legacy));   // NAT-PMP-only router
        Assert.Equal(1, legacy.Result);
    }

    [Fact]
    public void The_SSDP_search_is_exactly_the_UDA_message()
    {
        Assert.Equal("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n" +
            "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n", Encoding.ASCII.GetString(SsdpCodec.Search()));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n", null)]
    [InlineData("HTTP/1.1 404 Not Found\r\nLOCATION: http://192.168.1.1/\r\n\r\n", "not HTTP 200")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\n\r\n", "no LOCATION")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: ftp://192.168.1.1/x\r\n\r\n", "not an absolute http URL")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.9/x\r\n\r\n", "not the answering address")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://router.example/x\r\n\r\n", "not the answering address")]
    [InlineData("HTTP/1.1 200 OK\r\nbroken header\r\n\r\n", "no colon")]
    public void SSDP_answers_are_checked(string text, string? refusal)
    {
        var why = SsdpCodec.TryParseAnswer(Encoding.ASCII.GetBytes(text), IPAddress.Parse("192.168.1.1"), out var answer);
        if (refusal is null) { Assert.Null(why); Assert.Equal(5000, answer.Location.Port); }
        else Assert.Contains(refusal, why);
    }

    [Fact]
    public void Oversized_and_binary_SSDP_answers_are_refused()
    {
        Assert.Contains("oversized", SsdpCodec.TryParseAnswer(new byte[3000], IPAddress.Loopback, out _));
        Assert.Contains("not ASCII", SsdpCodec.TryParseAnswer([0x48, 0x00, 0xFF], IPAddress.Loopback, out _));
    }

    private const string Description = """
        <?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><serviceList>
        <service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/ctl/L3F</controlURL></service>
        <service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl/IPConn</controlURL></service>
        </serviceList></device></root>
        """;

    [Fact]
    public void The_description_yields_the_WANIPConnection_control_url()
    {
        Assert.Null(UpnpDescription.TryFindService(Description, new Uri("http://192.168.1.1:5000/rootDesc.xml"), out var service));
        Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:1", service.ServiceType);
        Assert.Equal(new Uri("http://192.168.1.1:5000/ctl/IPConn"), service.ControlUrl);
    }

    [Theory]
    [InlineData("<root><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>http://10.0.0.9/ctl</controlURL></service></root>", "not the description's host")]
    [InlineData("<root><device/></root>", "no WANIPConnection")]
    [InlineData("<root><unclosed></root>", "not well-formed")]
    [InlineData("<!DOCTYPE r [<!ENTITY x \"y\">]><root>&x;</root>", "not well-formed")]
    public void Bad_descriptions_are_refused(string xml, string refusal) =>
        Assert.Contains(refusal, UpnpDescription.TryFindService(xml, new Uri("http://192.168.1.1:5000/rootDesc.xml"), out _));

    [Fact]
    public void SOAP_bodies_escape_their_arguments_and_faults_are_read()
    {
        var body = UpnpSoap.AddPortMapping("urn:schemas-upnp-org:service:WANIPConnection:1", 5000, 5000, IPAddress.Parse("192.168.1.10"), 7200, "a<b&c");
        Assert.Contains("<NewPortMappingDescription>a&lt;b&amp;c</NewPortMappingDescription>", body);
        Assert.Contains("<NewLeaseDuration>7200</NewLeaseDuration>", body);
        Assert.Equal("\"urn:x#AddPortMapping\"", UpnpSoap.SoapAction("urn:x", "AddPortMapping"));
        Assert.Equal((718, "ConflictInMappingEntry"), UpnpSoap.ReadFault("<e><UPnPError><errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></e>"));
        Assert.Null(UpnpSoap.TryReadValue("<r><NewExternalIPAddress> 192.0.2.1 </NewExternalIPAddress></r>", "NewExternalIPAddress", out var ip));
        Assert.Equal("192.0.2.1", ip);
    }

    [Fact]
    public void Default_route_lines_from_proc_net_route_give_the_gateway()
    {
        Assert.Equal(IPAddress.Parse("192.168.1.1"), GatewayInfo.ParseDefaultRoute("eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0"));
        Assert.Null(GatewayInfo.ParseDefaultRoute("eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"));
    }

    [Fact]
    public void Random_answers_never_throw()
    {
        var nonce = new byte[12];
        Prop.ForAll<byte[]>(bytes =>
        {
            NatPmpCodec.TryParseExternalAddress(bytes, out _);
            NatPmpCodec.TryParseMap(bytes, 5000, out _);
            PcpCodec.TryParseMap(bytes, nonce, 5000, out _);
            SsdpCodec.TryParseAnswer(bytes, IPAddress.Loopback, out _);
            var text = Encoding.Latin1.GetString(bytes);
            UpnpDescription.TryFindService(text, new Uri("http://127.0.0.1/"), out _);
            UpnpSoap.TryReadValue(text, "x", out _);
        }).QuickCheckThrowOnFailure();
    }
}
