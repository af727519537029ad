// SSDP (UPnP Device Architecture 1.1 section 1.3): the M-SEARCH for an Internet Gateway Device and its answer. Pure.
using System.Net;
using System.Text;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// The search, sent over UDP to 239.255.255.250:1900 (and to the gateway's 1900 directly):
/// <code>
/// M-SEARCH * HTTP/1.1\r\n
/// HOST: 239.255.255.250:1900\r\n
/// MAN: "ssdp:discover"\r\n
/// MX: 1\r\n
/// ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n
/// \r\n
/// </code>
/// An answer is an HTTP/1.1 200 response in one datagram whose headers include LOCATION (the device description URL)
/// and ST. Refused: longer than <see cref="MaxAnswerLength"/>, not "HTTP/1.1 200", no LOCATION, a LOCATION that is not
/// an absolute http URL, or one whose host is not the address that answered (a device may only describe itself).
/// </summary>
public static class SsdpCodec
{
    public const int Port = 1900;
    public const int MaxAnswerLength = 2048;
    public static readonly IPAddress Group = IPAddress.Parse("239.255.255.250");
    public const string GatewayType = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

    public static byte[] Search(string searchTarget = GatewayType, int mxSeconds = 1) => Encoding.ASCII.GetBytes(
        $"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: {mxSeconds}\r\nST: {searchTarget}\r\n\r\n");

    public readonly record struct Answer(Uri Location, string SearchTarget, string? Server);

    /// <returns>null, or why the datagram is refused.</returns>
    public static string? TryParseAnswer(ReadOnlySpan<byte> datagram, IPAddress from, out Answer answer)
    {
        answer = default;
        if (datagram.Length > MaxAnswerLength) return $"oversized: {datagram.Length} bytes, limit {MaxAnswerLength}";
        if (datagram.IndexOfAnyExceptInRange((byte)0x09, (byte)0x7E) is >= 0 and var bad && datagram[bad] is not (0x0D or 0x0A))
            return "not ASCII text";
        var text = Encoding.ASCII.GetString(datagram);
        var lines = text.Split("\r\n");
        if (!lines[0].StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && !lines[0].StartsWith("HTTP/1.0 200", StringComparison.Ordinal))
            return $"status line '{Trim(lines[0])}' is not HTTP 200";
        string? location = null, st = null, server = null;
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) break;
            int colon = line.IndexOf(':');
            if (colon <= 0) return $"header line '{Trim(line)}' has no colon";
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("LOCATION", StringComparison.OrdinalIgnoreCase)) location = value;
            else if (name.Equals("ST", StringComparison.OrdinalIgnoreCase)) st = value;
            else if (name.Equals("SERVER", StringComparison.OrdinalIgnoreCase)) server = value;
        }
        if (location is null) return "no LOCATION header";
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            return $"LOCATION '{Trim(location)}' is not an absolute http URL";
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var host) || !Stun.StunClient.Normalize(host).Equals(Stun.StunClient.Normalize(from)))
            return $"LOCATION host {uri.Host} is not the answering address {from}";
        answer = new Answer(uri, st ?? "", server);
        return null;
    }

    private static string Trim(string s) => s.Length > 80 ? s[..80] + "..." : s;
}
