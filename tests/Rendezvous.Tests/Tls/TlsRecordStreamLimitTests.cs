// The record layer against a client written from the RFC with our own codec: the key-usage limit, KeyUpdate on request,
// an unknown inner content type; no handshake (the stream gets known secrets on a plain loopback socket pair).
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PChat.Rendezvous.Tls;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Tls;

public sealed class TlsRecordStreamLimitTests
{
    private const TlsCipherSuite Suite = TlsCipherSuite.Aes128GcmSha256;

    [Fact]
    public async Task The_server_updates_its_key_before_the_record_limit()
    {
        await using var pair = await Pair.OpenAsync(serverRecordsSent: TlsCipherSuites.RecordsPerKey - 1);
        await pair.Server.WriteAsync("a"u8.ToArray(), TestClient.Ct);
        await pair.Server.WriteAsync("b"u8.ToArray(), TestClient.Ct);
        Assert.Equal((TlsContentType.ApplicationData, "a"), await pair.ReadFromServerAsync());   // the last record under key 0
        Assert.Equal((TlsContentType.Handshake, "\u0018\0\0\u0001\0"), await pair.ReadFromServerAsync());   // KeyUpdate, not requested
        pair.FromServer.Update();
        Assert.Equal((TlsContentType.ApplicationData, "b"), await pair.ReadFromServerAsync());   // record 0 under key 1
        Assert.Equal(1UL, pair.Server.Sequences.Sent);
    }

    [Fact]
    public async Task A_key_update_the_client_asks_for_goes_out_before_the_next_data()
    {
        await using var pair = await Pair.OpenAsync();
        var keyUpdate = new byte[5];
        PostHandshakeMessage.WriteKeyUpdate(requestUpdate: true, keyUpdate);
        await pair.SendToServerAsync(TlsContentType.Handshake, keyUpdate);
        pair.ToServer.Update();
        await pair.SendToServerAsync(TlsContentType.ApplicationData, "hi"u8.ToArray());
        var read = new byte[2];
        await pair.Server.ReadExactlyAsync(read, TestClient.Ct);   // opened under the client's new key
        Assert.Equal("hi"u8.ToArray(), read);
        await pair.Server.WriteAsync("ok"u8.ToArray(), TestClient.Ct);
        Assert.Equal((TlsContentType.Handshake, "\u0018\0\0\u0001\0"), await pair.ReadFromServerAsync());
        pair.FromServer.Update();
        Assert.Equal((TlsContentType.ApplicationData, "ok"), await pair.ReadFromServerAsync());
    }

    [Fact]
    public async Task An_unknown_inner_content_type_gets_unexpected_message()
    {
        await using var pair = await Pair.OpenAsync();
        await pair.SendToServerAsync((TlsContentType)99, [1, 2, 3]);
        var failure = await Assert.ThrowsAsync<TlsAlertException>(async () => await pair.Server.ReadExactlyAsync(new byte[16], TestClient.Ct));
        Assert.Equal(TlsAlert.UnexpectedMessage, failure.Alert);
        Assert.Equal((TlsContentType.Alert, "\u0002\u000a"), await pair.ReadFromServerAsync());   // fatal, unexpected_message
    }

    /// <summary>A server stream on one end of a loopback TCP connection; the test speaks raw records on the other.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly Socket _serverSocket;
        private readonly Socket _client;
        private readonly byte[] _inbox = new byte[64 * 1024];
        private int _inboxLength;

        private Pair(Socket serverSocket, Socket client, TlsRecordStream server, RecordProtection toServer, RecordProtection fromServer)
        {
            _serverSocket = serverSocket;
            _client = client;
            Server = server;
            ToServer = toServer;
            FromServer = fromServer;
        }

        public TlsRecordStream Server { get; }
        public RecordProtection ToServer { get; }
        public RecordProtection FromServer { get; }

        public static async Task<Pair> OpenAsync(ulong serverRecordsSent = 0)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!, TestClient.Ct);
            var serverSocket = await listener.AcceptAsync(TestClient.Ct);
            var clientSecret = RandomNumberGenerator.GetBytes(32);
            var serverSecret = RandomNumberGenerator.GetBytes(32);
            var keys = new TlsSessionKeys(Suite, (byte[])clientSecret.Clone(), (byte[])serverSecret.Clone(), serverRecordsSent);
            return new Pair(serverSocket, client, new TlsRecordStream(serverSocket, keys, []),
                new RecordProtection(Suite, clientSecret), new RecordProtection(Suite, serverSecret, serverRecordsSent));
        }

        public async Task SendToServerAsync(TlsContentType type, byte[] content)
        {
            var wire = new byte[RecordCodec.SealedLength(content.Length)];
            ToServer.Seal(type, content, wire);
            await _client.SendAsync(wire, SocketFlags.None, TestClient.Ct);
        }

        /// <summary>The next record the server sent, opened: its inner type and content (as Latin-1 text).</summary>
        public async Task<(TlsContentType, string)> ReadFromServerAsync()
        {
            int length;
            while ((length = RecordCodec.CompleteLength(_inbox.AsSpan(0, _inboxLength))) == 0)
            {
                var n = await _client.ReceiveAsync(_inbox.AsMemory(_inboxLength), SocketFlags.None, TestClient.Ct);
                if (n == 0) throw new EndOfStreamException();
                _inboxLength += n;
            }
            var record = _inbox.AsSpan(0, length).ToArray();
            _inbox.AsSpan(length, _inboxLength - length).CopyTo(_inbox);
            _inboxLength -= length;
            var (type, contentLength) = FromServer.Open(record);
            return (type, System.Text.Encoding.Latin1.GetString(record, RecordCodec.HeaderLength, contentLength));
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            ToServer.Dispose();
            FromServer.Dispose();
            _client.Dispose();
            _serverSocket.Dispose();
        }
    }
}
