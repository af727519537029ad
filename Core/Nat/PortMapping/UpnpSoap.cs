// The three IGD SOAP actions we use: bodies to send and answers to read. Pure: no I/O.
using System.Net;
using System.Security;
using System.Xml;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// Each request is an HTTP POST to the control URL with header <c>SOAPAction: "SERVICE#ACTION"</c> and body
/// <code>
/// &lt;?xml version="1.0"?&gt;
/// &lt;s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"&gt;
///   &lt;s:Body&gt;&lt;u:ACTION xmlns:u="SERVICE"&gt; &lt;Arg&gt;value&lt;/Arg&gt;... &lt;/u:ACTION&gt;&lt;/s:Body&gt;
/// &lt;/s:Envelope&gt;
/// </code>
/// GetExternalIPAddress → NewExternalIPAddress. AddPortMapping(NewRemoteHost="", NewExternalPort, NewProtocol=UDP,
/// NewInternalPort, NewInternalClient, NewEnabled=1, NewPortMappingDescription, NewLeaseDuration seconds).
/// DeletePortMapping(NewRemoteHost="", NewExternalPort, NewProtocol=UDP). A failure is HTTP 500 with a SOAP fault
/// carrying UPnPError/errorCode (718 ConflictInMappingEntry, 725 OnlyPermanentLeasesSupported, ...).
/// </summary>
public static class UpnpSoap
{
    public static string Envelope(string service, string action, params (string Name, string Value)[] args) =>
        "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" " +
        "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>" +
        $"<u:{action} xmlns:u=\"{service}\">" +
        string.Concat(args.Select(a => $"<{a.Name}>{SecurityElement.Escape(a.Value)}</{a.Name}>")) +
        $"</u:{action}></s:Body></s:Envelope>\r\n";

    public static string SoapAction(string service, string action) => $"\"{service}#{action}\"";

    public static string AddPortMapping(string service, int externalPort, int internalPort, IPAddress internalClient, uint leaseSeconds, string description) =>
        Envelope(service, "AddPortMapping",
            ("NewRemoteHost", ""), ("NewExternalPort", externalPort.ToString()), ("NewProtocol", "UDP"),
            ("NewInternalPort", internalPort.ToString()), ("NewInternalClient", internalClient.ToString()), ("NewEnabled", "1"),
            ("NewPortMappingDescription", description), ("NewLeaseDuration", leaseSeconds.ToString()));

    public static string DeletePortMapping(string service, int externalPort) =>
        Envelope(service, "DeletePortMapping", ("NewRemoteHost", ""), ("NewExternalPort", externalPort.ToString()), ("NewProtocol", "UDP"));

    public static string GetExternalIPAddress(string service) => Envelope(service, "GetExternalIPAddress");

    /// <summary>The text of the first element named <paramref name="name"/> (any namespace), or an error.</summary>
    /// <returns>null, or why the answer is refused.</returns>
    public static string? TryReadValue(string xml, string name, out string value)
    {
        value = "";
        if (xml.Length > UpnpDescription.MaxLength) return $"oversized: {xml.Length} characters";
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = UpnpDescription.MaxLength };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            while (reader.Read())
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == name)
                {
                    value = reader.ReadElementContentAsString().Trim();
                    return null;
                }
        }
        catch (XmlException e)
        {
            return "not well-formed XML: " + e.Message;
        }
        return $"no {name} element";
    }

    /// <summary>The UPnP errorCode and description of a SOAP fault, or null when the body carries none.</summary>
    public static (int Code, string Description)? ReadFault(string xml)
    {
        if (TryReadValue(xml, "errorCode", out var code) is not null || !int.TryParse(code, out var number)) return null;
        TryReadValue(xml, "errorDescription", out var description);
        return (number, description);
    }
}
