// The record layer against an independent TLS 1.3 client: `openssl s_client`, every suite, KeyUpdate both ways, resumption.
using System.Diagnostics;
using System.Text;
using P2PChat.Rendezvous.Tls;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Tls;

public sealed class OpenSslClientInteropTests
{
    public static TheoryData<TlsCipherSuite> Suites() => [.. TlsCipherSuites.Available()];

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task S_client_talks_to_the_record_layer_and_updates_keys_both_ways(TlsCipherSuite suite)
    {
        RequireOpenSsl();
        await using var server = new TlsEchoServer();
        await using var client = SClient.Start(server, $"-ciphersuites {TlsCipherSuites.OpenSslName(suite)}");
        var stream = await server.NextStreamAsync();
        Assert.Equal(suite, stream.Suite);
        await client.EchoAsync("ping-1");
        // Our tickets and the first echo went out under our first key: records 0..1 (the ticket count is ours to match).
        Assert.Equal((ulong)ServerTlsContext.TicketsPerHandshake + 1, stream.Sequences.Sent);

        // "K": s_client sends a KeyUpdate asking for ours. We must read under its new key and send our KeyUpdate before
        // the next data; s_client can only decrypt the echo if we did.
        await client.CommandAsync('K');
        await client.EchoAsync("ping-2");
        Assert.Equal((1UL, 1UL), stream.Sequences);   // both directions: a new key, one record on it

        // "k": a KeyUpdate that asks for nothing: only our read key moves.
        await client.CommandAsync('k');
        await client.EchoAsync("ping-3");
        Assert.Equal((2UL, 1UL), stream.Sequences);
    }

    [Fact]
    public async Task S_client_resumes_with_our_ticket()
    {
        RequireOpenSsl();
        await using var server = new TlsEchoServer();
        using var folder = new TempDirectory("p2pchat-tls-session");
        var session = Path.Combine(folder.Path, "session.pem");
        await using (var first = SClient.Start(server, $"-sess_out {session}"))
        {
            await server.NextStreamAsync();
            await first.EchoAsync("first");   // the ticket came before the echo
            Assert.Contains("New, TLSv1.3", first.Output);
        }
        Assert.True(File.Exists(session));
        await using var second = SClient.Start(server, $"-sess_in {session}");
        await server.NextStreamAsync();
        await second.EchoAsync("second");
        Assert.Contains("Reused, TLSv1.3", second.Output);
    }

    private static void RequireOpenSsl() => Require.That(Require.HasProgram("openssl"), "the openssl command-line tool is not installed");

    /// <summary>One <c>openssl s_client -tls1_3</c> process; its stdout and stderr are collected as they come.</summary>
    private sealed class SClient : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly SemaphoreSlim _more = new(0);
        private readonly Task _readers;

        private SClient(Process process)
        {
            _process = process;
            _readers = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
        }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public static SClient Start(TlsEchoServer server, string arguments)
        {
            var info = new ProcessStartInfo("openssl", $"s_client -connect 127.0.0.1:{server.Endpoint.Port} -tls1_3 {arguments}")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            return new SClient(Process.Start(info)!);
        }

        /// <summary>Sends a line and waits until the echo has been decrypted and printed by s_client.</summary>
        public async Task EchoAsync(string line)
        {
            var seen = Count(line);
            await _process.StandardInput.WriteAsync(line + "\n");
            await _process.StandardInput.FlushAsync();
            await UntilAsync(() => Count(line) > seen, $"the echo of {line}");
        }

        /// <summary>An s_client command letter on a line of its own ('k', 'K': KeyUpdate), once s_client says it did it.</summary>
        public async Task CommandAsync(char letter)
        {
            var seen = Count("KEYUPDATE");
            await _process.StandardInput.WriteAsync(letter + "\n");
            await _process.StandardInput.FlushAsync();
            await UntilAsync(() => Count("KEYUPDATE") > seen, "s_client's KEYUPDATE");
        }

        private int Count(string text)
        {
            var all = Output;
            var n = 0;
            for (var at = all.IndexOf(text, StringComparison.Ordinal); at >= 0; at = all.IndexOf(text, at + text.Length, StringComparison.Ordinal)) n++;
            return n;
        }

        private async Task UntilAsync(Func<bool> condition, string what)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestClient.Ct);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            while (!condition())
            {
                if (_process.HasExited && !condition()) Assert.Fail($"s_client exited before {what}:\n{Output}");
                try { await _more.WaitAsync(limit.Token); }
                catch (OperationCanceledException) { Assert.Fail($"no {what} within 30 s:\n{Output}"); }
            }
        }

        private async Task Pump(StreamReader reader)
        {
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                lock (_output) _output.Append(buffer, 0, n);
                _more.Release();
            }
            _more.Release();
        }

        public async ValueTask DisposeAsync()
        {
            try { _process.StandardInput.Close(); }   // EOF on stdin: s_client closes the connection and exits
            catch (IOException) { }
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
            await _readers;
            _process.Dispose();
            _more.Dispose();
        }
    }
}
