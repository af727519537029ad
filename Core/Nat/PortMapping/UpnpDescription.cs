// Reads an IGD device description (XML) and finds the WANIPConnection/WANPPPConnection control URL. Pure: no I/O.
using System.Xml;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// The description is UPnP Device Architecture XML: root/device/deviceList/device/.../serviceList/service with
/// serviceType and controlURL. The first service of type WANIPConnection:2, WANIPConnection:1 or WANPPPConnection:1
/// wins (in that order). Refused: over <see cref="MaxLength"/> characters, not XML (DTDs are prohibited), no such
/// service, or a control URL on another host than the description's (the router may only point at itself).
/// </summary>
public static class UpnpDescription
{
    public const int MaxLength = 64 * 1024;
    public static readonly string[] ServiceTypes =
    [
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "urn:schemas-upnp-org:service:WANPPPConnection:1",
    ];

    public readonly record struct Service(string ServiceType, Uri ControlUrl);

    /// <returns>null, or why the description is refused.</returns>
    public static string? TryFindService(string xml, Uri location, out Service service)
    {
        service = default;
        if (xml.Length > MaxLength) return $"oversized: {xml.Length} characters, limit {MaxLength}";
        var found = new List<(string Type, string Control)>();
        string? urlBase = null;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxLength };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            string? type = null, control = null;
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                switch (reader.LocalName)
                {
                    // ReadElementContentAsString moves past the element itself: no Read() after it.
                    case "serviceType": type = reader.ReadElementContentAsString().Trim(); break;
                    case "controlURL": control = reader.ReadElementContentAsString().Trim(); break;
                    case "URLBase": urlBase = reader.ReadElementContentAsString().Trim(); break;
                    case "service": type = control = null; reader.Read(); break;
                    default: reader.Read(); break;
                }
                if (type is not null && control is not null) { found.Add((type, control)); type = control = null; }
            }
        }
        catch (XmlException e)
        {
            return "not well-formed XML: " + e.Message;
        }
        foreach (var wanted in ServiceTypes)
        {
            var match = found.FirstOrDefault(f => f.Type == wanted);
            if (match.Type is null) continue;
            var baseUri = urlBase is not null && Uri.TryCreate(urlBase, UriKind.Absolute, out var b) ? b : location;
            if (!Uri.TryCreate(baseUri, match.Control, out var control) || control.Scheme != Uri.UriSchemeHttp)
                return $"control URL '{match.Control}' is not an http URL";
            if (!string.Equals(control.Host, location.Host, StringComparison.OrdinalIgnoreCase))
                return $"control URL host {control.Host} is not the description's host {location.Host}";
            service = new Service(wanted, control);
            return null;
        }
        return "no WANIPConnection or WANPPPConnection service";
    }
}
