// The HTTP the UPnP leaf needs (GET a description, POST a SOAP action), behind an interface so the fake router can answer.
using System.Net.Http.Headers;
using System.Text;

namespace P2PChat.Core.Nat.PortMapping;

public readonly record struct UpnpHttpAnswer(int Status, string Body);

public interface IUpnpHttp
{
    Task<UpnpHttpAnswer> GetAsync(Uri url, CancellationToken ct);
    Task<UpnpHttpAnswer> PostSoapAsync(Uri url, string soapAction, string body, CancellationToken ct);
}

/// <summary>HttpClient with a short timeout and a body cap of <see cref="UpnpDescription.MaxLength"/> bytes; no proxy, no redirects.</summary>
public sealed class UpnpHttpClient : IUpnpHttp, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(5),
        MaxResponseContentBufferSize = UpnpDescription.MaxLength,
    };

    public Task<UpnpHttpAnswer> GetAsync(Uri url, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url), ct);

    public Task<UpnpHttpAnswer> PostSoapAsync(Uri url, string soapAction, string body, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("SOAPAction", soapAction);
        return SendAsync(request, ct);
    }

    private async Task<UpnpHttpAnswer> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request, ct).ConfigureAwait(false))
                return new UpnpHttpAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PortMappingException($"HTTP {request.Method} {request.RequestUri}: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
