// A rendezvous server's address as the user types it: HOST:PORT, [IPv6]:PORT, or HOST alone (default port).
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace P2PChat.Peer.Server;

public sealed record ServerAddress(string Host, int Port)
{
    public const int DefaultPort = 7777;

    public static bool TryParse(string? text, [NotNullWhen(true)] out ServerAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) { error = "no server address given (HOST:PORT)"; return false; }

        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) { error = $"'{text}': missing ']' after the IPv6 address"; return false; }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') { error = $"'{text}': expected ':' after ']'"; return false; }
                port = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':') != colon) { error = $"'{text}': write an IPv6 address as [ADDRESS]:PORT"; return false; }
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0) { error = $"'{text}': no host"; return false; }
        var number = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            error = $"'{text}': the port must be a number from 1 to 65535";
            return false;
        }
        address = new ServerAddress(host, number);
        return true;
    }

    public static ServerAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
