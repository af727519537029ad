// One connection's TLS 1.3 handshake run by OpenSSL on memory BIOs, fed one record at a time; then OpenSSL is let go.
using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Authentication;

namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// The pattern kernel TLS uses ("extract the secrets"), in user space: OpenSSL does the handshake (key exchange,
/// certificate, signature, Finished, tickets) on an <c>SSL</c> with two memory BIOs; we read the socket, cut the bytes
/// into TLS records by their 5-byte headers and give OpenSSL exactly one record per step, so it never holds a byte past
/// the client's Finished (what follows it is application data for <see cref="TlsRecordStream"/>); after each step what
/// OpenSSL wrote is sent. The key log callback (<see cref="OnKeyLog"/>, called by OpenSSL inside the step on the same
/// thread) parses CLIENT_TRAFFIC_SECRET_0 and SERVER_TRAFFIC_SECRET_0 from the native line straight into byte arrays.
/// When the handshake is done: the suite is read, the records of the last step (the NewSessionTickets, sealed with the
/// server's application key) are counted, and the SSL object is freed — the connection keeps no OpenSSL state.
/// </summary>
public static class TlsServerHandshake
{
    [ThreadStatic] private static Capture? t_running;

    /// <summary>Runs the handshake on <paramref name="socket"/> (the ClientHello may already be waiting) and returns the
    /// stream for the rest of the connection. Cancel to time it out.</summary>
    /// <exception cref="AuthenticationException">the handshake failed (OpenSSL's reason; its alert has been sent).</exception>
    /// <exception cref="IOException">the connection closed or broke during the handshake.</exception>
    /// <param name="sweeper">drops the stream's cipher contexts while it is idle (null: never).</param>
    public static async Task<TlsRecordStream> AcceptAsync(ServerTlsContext context, Socket socket, CancellationToken ct, IdleCipherSweeper? sweeper = null)
    {
        using var ssl = context.NewConnection(out var readBio, out var writeBio);
        var capture = new Capture(ssl.DangerousGetHandle());
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                int length;
                try { length = RecordCodec.CompleteLength(buffer.AsSpan(start, end - start)); }
                catch (TlsAlertException ex) { throw new AuthenticationException(ex.Message); }
                if (length == 0)
                {
                    (buffer, start, end) = MakeRoom(buffer, start, end);
                    var n = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, ct).ConfigureAwait(false);
                    if (n == 0) throw new IOException("the connection closed during the TLS handshake");
                    end += n;
                    continue;
                }
                var (done, failure) = Step(ssl, readBio, capture, buffer.AsSpan(start, length));
                start += length;
                var output = TakeOutput(writeBio, out var outputLength);
                try
                {
                    if (outputLength > 0) await TlsRecordStream.SendAllAsync(socket, output.AsMemory(0, outputLength), ct).ConfigureAwait(false);
                    if (failure is not null) throw new AuthenticationException("TLS handshake failed: " + failure);
                    if (done) return Finish(ssl, capture, CountRecords(output.AsSpan(0, outputLength)), socket, buffer.AsSpan(start, end - start), sweeper);
                }
                finally { if (outputLength > 0) ArrayPool<byte>.Shared.Return(output); }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            capture.Dispose();
        }
    }

    /// <summary>Gives OpenSSL one record and lets it run: (true, null) when the handshake is done, (false, null) when it
    /// wants the next record, (false, why) when it failed.</summary>
    private static unsafe (bool Done, string? Failure) Step(SafeSslHandle ssl, nint readBio, Capture capture, ReadOnlySpan<byte> record)
    {
        fixed (byte* p = record)
            if (OpenSslNative.BIO_write(readBio, p, record.Length) != record.Length) return (false, "BIO_write failed");
        OpenSslNative.ERR_clear_error();
        int result;
        t_running = capture;
        try { result = OpenSslNative.SSL_do_handshake(ssl); }
        finally { t_running = null; }
        if (result == 1) return (true, null);
        var error = OpenSslNative.SSL_get_error(ssl, result);
        return error == OpenSslNative.SslErrorWantRead ? (false, null) : (false, $"SSL_get_error {error}: {OpenSslNative.Errors()}");
    }

    private static TlsRecordStream Finish(SafeSslHandle ssl, Capture capture, int recordsAfterFinished, Socket socket, ReadOnlySpan<byte> rest,
        IdleCipherSweeper? sweeper)
    {
        if (OpenSslNative.SSL_version(ssl) != OpenSslNative.Tls13Version) throw new AuthenticationException("not TLS 1.3");
        var cipher = OpenSslNative.SSL_get_current_cipher(ssl);
        var id = cipher == 0 ? (ushort)0 : OpenSslNative.SSL_CIPHER_get_protocol_id(cipher);
        if (!TlsCipherSuites.IsKnown(id)) throw new AuthenticationException($"cipher suite 0x{id:x4} is not one the record layer implements");
        var suite = (TlsCipherSuite)id;
        var length = TlsCipherSuites.SecretLength(suite);
        if (capture.Client is not { } client || capture.Server is not { } server || client.Length != length || server.Length != length)
            throw new AuthenticationException("OpenSSL's key log did not give both application traffic secrets");
        capture.Client = capture.Server = null;   // handed over: the stream owns (and zeroes) them now
        using var keys = new TlsSessionKeys(suite, client, server, (ulong)recordsAfterFinished);
        return new TlsRecordStream(socket, keys, rest, sweeper);
    }

    /// <summary>Called by OpenSSL for each secret of a handshake (SSL_CTX_set_keylog_callback), inside
    /// SSL_do_handshake on the thread that runs it. Never throws into native code.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static unsafe void OnKeyLog(nint ssl, byte* line)
    {
        try
        {
            if (t_running is not { } capture || capture.Ssl != ssl || line is null) return;
            var text = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(line);
            if (ParseSecret(text, "CLIENT_TRAFFIC_SECRET_0"u8) is { } client) capture.Replace(ref capture.Client, client);
            else if (ParseSecret(text, "SERVER_TRAFFIC_SECRET_0"u8) is { } server) capture.Replace(ref capture.Server, server);
        }
        catch (Exception) { /* a malformed line: the handshake then fails for want of the secret */ }
    }

    /// <summary>"LABEL client_random_hex secret_hex" (NSS key log format): the secret's bytes when the label matches.</summary>
    internal static byte[]? ParseSecret(ReadOnlySpan<byte> line, ReadOnlySpan<byte> label)
    {
        if (!line.StartsWith(label) || line.Length <= label.Length || line[label.Length] != (byte)' ') return null;
        var rest = line[(label.Length + 1)..];
        var space = rest.IndexOf((byte)' ');
        if (space < 0) return null;
        var hex = rest[(space + 1)..];
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.Length > 2 * 64) return null;
        var secret = new byte[hex.Length / 2];
        for (var i = 0; i < secret.Length; i++)
        {
            int hi = Nibble(hex[2 * i]), lo = Nibble(hex[2 * i + 1]);
            if ((hi | lo) < 0) return null;
            secret[i] = (byte)(hi << 4 | lo);
        }
        return secret;
    }

    private static int Nibble(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Whole records in <paramref name="bytes"/> (what OpenSSL wrote in one step).</summary>
    internal static int CountRecords(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        while (bytes.Length >= RecordCodec.HeaderLength)
        {
            var length = RecordCodec.HeaderLength + (bytes[3] << 8 | bytes[4]);
            if (length > bytes.Length) break;
            bytes = bytes[length..];
            count++;
        }
        return count;
    }

    private static (byte[] Buffer, int Start, int End) MakeRoom(byte[] buffer, int start, int end)
    {
        var pending = end - start;
        var needed = pending >= RecordCodec.HeaderLength ? RecordCodec.HeaderLength + (buffer[start + 3] << 8 | buffer[start + 4]) : RecordCodec.HeaderLength;
        if (start > 0 && buffer.Length - end < Math.Max(needed - pending, 512))
        {
            buffer.AsSpan(start, pending).CopyTo(buffer);
            (start, end) = (0, pending);
        }
        if (buffer.Length - start < Math.Max(needed, pending + 512))
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, pending + 512));
            buffer.AsSpan(start, pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            (buffer, start, end) = (bigger, 0, pending);
        }
        return (buffer, start, end);
    }

    private static unsafe byte[] TakeOutput(nint writeBio, out int length)
    {
        length = (int)OpenSslNative.BIO_ctrl_pending(writeBio);
        if (length == 0) return [];
        var output = ArrayPool<byte>.Shared.Rent(length);
        fixed (byte* p = output)
            length = Math.Max(0, OpenSslNative.BIO_read(writeBio, p, length));
        return output;
    }


    /// <summary>The secrets one handshake's key log delivered (zeroed unless handed over).</summary>
    private sealed class Capture(nint ssl) : IDisposable
    {
        public readonly nint Ssl = ssl;
        public byte[]? Client;
        public byte[]? Server;

        public void Replace(ref byte[]? slot, byte[] secret)
        {
            if (slot is not null) System.Security.Cryptography.CryptographicOperations.ZeroMemory(slot);
            slot = secret;
        }

        public void Dispose()
        {
            if (Client is not null) System.Security.Cryptography.CryptographicOperations.ZeroMemory(Client);
            if (Server is not null) System.Security.Cryptography.CryptographicOperations.ZeroMemory(Server);
            Client = Server = null;
        }
    }
}
