// A real p2pchat-rendezvous process on loopback with its own data folder; tells where it listens and its fingerprint.
using System.Text.RegularExpressions;

namespace P2PChat.EndToEnd.Tests.Processes;

public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ChildProcess _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stunLogged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _fingerprint;

    private ServerProcess(string dataFolder, string listen, IEnumerable<string> extraArgs, IReadOnlyList<string>? launcher)
    {
        DataFolder = dataFolder;
        _process = new ChildProcess(BuiltPrograms.Server,
            ["--listen", listen, "--data", dataFolder, "--password-memory-kib", "64", "--password-passes", "1", "--max-connections", "64", "--Rendezvous:MaxSignUpsPerAddress", "100000", "--Rendezvous:MaxSignUpsGlobal", "100000", .. extraArgs],
            onStdout: OnLine, onStderr: OnLine, launcher: launcher);
    }

    public string DataFolder { get; }
    /// <summary>HOST:PORT as the server logged it.</summary>
    public string Address { get; private set; } = "";
    public string Fingerprint => _fingerprint ?? "";

    /// <summary>The UDP endpoints answering STUN, as logged ("stun answering on udp/HOST:PORT udp/HOST:PORT"), in order.</summary>
    public IReadOnlyList<string> StunEndpoints { get { lock (_stun) return [.. _stun]; } }
    private readonly List<string> _stun = [];

    /// <summary>Starts a server and waits until it logs "listening on HOST:PORT".</summary>
    /// <param name="listen">127.0.0.1:0 for any free port.</param>
    /// <param name="extraArgs">more options, e.g. "--Rendezvous:MaxCommandsPerWindow=1000" (any RendezvousOptions key).</param>
    /// <param name="launcher">runs the server elsewhere, e.g. ["ip", "netns", "exec", NS] (lab tests).</param>
    public static async Task<ServerProcess> StartAsync(string dataFolder, string listen = "127.0.0.1:0", IEnumerable<string>? extraArgs = null,
        IReadOnlyList<string>? launcher = null)
    {
        var server = new ServerProcess(dataFolder, listen, extraArgs ?? [], launcher);
        try
        {
            var exited = server._process.Exited.ContinueWith(_ => "", TaskScheduler.Default);
            var first = await Task.WhenAny(server._listening.Task, exited).WaitAsync(StartTimeout);
            server.Address = await first;
            if (server.Address.Length == 0) throw new InvalidOperationException($"the server exited at start:\n{server._process.StderrTail}");
            await server._stunLogged.Task.WaitAsync(StartTimeout);   // STUN listeners are started (and logged) right after the TCP one
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
        if (line.Contains("stun answering on ") || line.Contains("stun: off"))
        {
            lock (_stun) _stun.AddRange(StunEndpoint().Matches(line).Select(m => m.Groups[1].Value));
            _stunLogged.TrySetResult();
        }
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(m.Groups[1].Value);
    }

    /// <summary>SIGKILL: no shutdown, no flushing.</summary>
    public Task KillAsync() => _process.KillAsync();

    public string StderrTail => _process.StderrTail;

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"udp/(\S+)")]
    private static partial Regex StunEndpoint();

    [GeneratedRegex(@"fingerprint SHA256 ([0-9A-F:]+)")]
    private static partial Regex FingerprintLine();
}
