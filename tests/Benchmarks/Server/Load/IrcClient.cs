// An IRC client for the load generator (RFC 1459/2812 subset over TLS): NICK/USER registration, PRIVMSG, PING/PONG.
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace P2PChat.Benchmarks.Server.Load;

internal sealed class IrcClient(int index) : LoadClient(index)
{
    private Socket? _socket;
    private SslStream? _tls;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly TaskCompletionSource<bool> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task ConnectAsync(IPEndPoint server, CancellationToken ct)
    {
        (_socket, _tls) = await OpenTlsAsync(server, Index, ct);
        _ = Task.Run(ReadLoopAsync, CancellationToken.None);
    }

    /// <summary>NICK + USER until 001 (RPL_WELCOME): IRC's registration, and its sign-in at once.</summary>
    public override async Task<bool> RegisterAsync(CancellationToken ct)
    {
        await WriteAsync($"NICK {Name}\r\nUSER {Name} 0 * :load\r\n", ct);
        return await _welcome.Task.WaitAsync(ct);
    }

    public override Task<bool> SignInAsync(CancellationToken ct) => RegisterAsync(ct);

    public override Task SendPmAsync(LoadClient to, long sentAt, CancellationToken ct) =>
        WriteAsync($"PRIVMSG {to.Name} :{sentAt.ToString(CultureInfo.InvariantCulture)} {Index.ToString(CultureInfo.InvariantCulture)}\r\n", ct);

    public override Task PingAsync(CancellationToken ct) => WriteAsync("PING :load\r\n", ct);

    private async Task WriteAsync(string line, CancellationToken ct)
    {
        var bytes = Encoding.ASCII.GetBytes(line);
        await _write.WaitAsync(ct);
        try { await _tls!.WriteAsync(bytes, ct); }
        finally { _write.Release(); }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            using var reader = new StreamReader(_tls!, Encoding.UTF8, false, 4096, leaveOpen: true);
            while (await reader.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ', 4);
                if (parts[0] == "PING") { _ = WriteAsync($"PONG {parts[1]}\r\n", CancellationToken.None); continue; }
                if (parts[0] == "ERROR") break;
                if (parts.Length < 2) continue;
                switch (parts[1])
                {
                    case "001": _welcome.TrySetResult(true); break;
                    case "433" or "432" or "465": _welcome.TrySetResult(false); break;
                    case "PRIVMSG" when parts.Length == 4:
                        var text = parts[3].TrimStart(':').Split(' ');
                        if (text.Length == 2 && long.TryParse(text[0], CultureInfo.InvariantCulture, out var sentAt)
                            && int.TryParse(text[1], CultureInfo.InvariantCulture, out var from))
                            OnMessage?.Invoke(from, sentAt);
                        break;
                }
            }
        }
        catch (Exception) { }
        _welcome.TrySetResult(false);
        Closed.TrySetResult();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_tls is not null) await _tls.DisposeAsync();
        _socket?.Dispose();
    }
}
