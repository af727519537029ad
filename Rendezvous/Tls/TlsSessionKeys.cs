// What a finished handshake hands to the record layer: the suite, both application traffic secrets, our record count.
using System.Security.Cryptography;

namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// The negotiated suite, client_application_traffic_secret_0 and server_application_traffic_secret_0 (from OpenSSL's
/// key log, parsed straight into these arrays) and how many records the server already sealed with its secret (the
/// NewSessionTickets OpenSSL wrote at the end of the handshake). The secrets are taken once by the stream, which zeroes
/// them when it ends; <see cref="Dispose"/> zeroes any not taken.
/// </summary>
public sealed class TlsSessionKeys(TlsCipherSuite suite, byte[] clientSecret, byte[] serverSecret, ulong serverRecordsSent) : IDisposable
{
    private byte[]? _client = clientSecret;
    private byte[]? _server = serverSecret;

    public TlsCipherSuite Suite { get; } = suite;
    public ulong ServerRecordsSent { get; } = serverRecordsSent;

    public byte[] TakeClientSecret() => Interlocked.Exchange(ref _client, null) ?? throw new InvalidOperationException("already taken");
    public byte[] TakeServerSecret() => Interlocked.Exchange(ref _server, null) ?? throw new InvalidOperationException("already taken");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _client, null) is { } c) CryptographicOperations.ZeroMemory(c);
        if (Interlocked.Exchange(ref _server, null) is { } s) CryptographicOperations.ZeroMemory(s);
    }
}
