// A real p2pchat-rendezvous process on loopback with its own data folder; tells where it listens and its fingerprint.
using System.Text.RegularExpressions;

namespace P2PChat.EndToEnd.Tests.Processes;

public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ChildProcess _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _fingerprint;

    private ServerProcess(string dataFolder, string listen, IEnumerable<string> extraArgs)
    {
        DataFolder = dataFolder;
        _process = new ChildProcess(BuiltPrograms.Server,
            ["--listen", listen, "--data", dataFolder, "--password-iterations", "1000", "--max-connections", "64", "--Rendezvous:MaxSignUpsPerAddress", "100000", "--Rendezvous:MaxSignUpsGlobal", "100000", .. extraArgs],
            onStdout: OnLine, onStderr: OnLine);
    }

    public string DataFolder { get; }
    /// <summary>HOST:PORT as the server logged it.</summary>
    public string Address { get; private set; } = "";
    public string Fingerprint => _fingerprint ?? "";

    /// <summary>Starts a server and waits until it logs "listening on HOST:PORT".</summary>
    /// <param name="listen">127.0.0.1:0 for any free port.</param>
    /// <param name="extraArgs">more options, e.g. "--Rendezvous:MaxCommandsPerWindow=1000" (any RendezvousOptions key).</param>
    public static async Task<ServerProcess> StartAsync(string dataFolder, string listen = "127.0.0.1:0", IEnumerable<string>? extraArgs = null)
    {
        var server = new ServerProcess(dataFolder, listen, extraArgs ?? []);
        try
        {
            var exited = server._process.Exited.ContinueWith(_ => "", TaskScheduler.Default);
            var first = await Task.WhenAny(server._listening.Task, exited).WaitAsync(StartTimeout);
            server.Address = await first;
            if (server.Address.Length == 0) throw new InvalidOperationException($"the server exited at start:\n{server._process.StderrTail}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private void OnLine(string line)
    {
        if (FingerprintLine().Match(line) is { Success: true } f) _fingerprint = f.Groups[1].Value;
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(m.Groups[1].Value);
    }

    /// <summary>SIGKILL: no shutdown, no flushing.</summary>
    public Task KillAsync() => _process.KillAsync();

    public string StderrTail => _process.StderrTail;

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"fingerprint SHA256 ([0-9A-F:]+)")]
    private static partial Regex FingerprintLine();
}
