// Starts, stops and restarts the rendezvous server as a separate process, so that its CPU and memory can be measured alone.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace P2PChat.Benchmarks.Server.Load;

internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly string _exe;
    private readonly IReadOnlyList<string> _args;
    private Process? _process;

    public ServerProcess(string exe, IReadOnlyList<string> args) => (_exe, _args) = (exe, args);

    public int Pid => _process?.Id ?? throw new InvalidOperationException("not running");
    public int Port { get; private set; }

    private readonly List<(string Name, string Value)> _counters = [];

    /// <summary>The "counter NAME VALUE" lines the server logged when it last stopped (see Rendezvous ServerCounters).</summary>
    public IReadOnlyList<(string Name, string Value)> Counters { get { lock (_counters) return [.. _counters]; } }

    /// <summary>Starts the server and waits (up to 60 s) for its "listening on" line.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        lock (_counters) _counters.Clear();
        var info = new ProcessStartInfo(_exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in _args) info.ArgumentList.Add(a);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {_exe}");
        void Watch(string? line)
        {
            if (line is null) return;
            if (Listening().Match(line) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value));
            if (Counter().Match(line) is { Success: true } c) lock (_counters) _counters.Add((c.Groups[1].Value, c.Groups[2].Value));
            if (Environment.GetEnvironmentVariable("LOAD_DEBUG") == "1" || line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("exception", StringComparison.OrdinalIgnoreCase))
                Console.Error.WriteLine($"server: {line}");
        }
        _process.OutputDataReceived += (_, e) => Watch(e.Data);
        _process.ErrorDataReceived += (_, e) => Watch(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
    }

    /// <summary>SIGTERM (the server sends STATUS 27 to everyone and exits), then waits for the process to end.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill!.WaitForExitAsync();
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { _process.Kill(entireProcessTree: true); }
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    [GeneratedRegex(@"listening on [^\s]*:(\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"counter (\S+) (.+)$")]
    private static partial Regex Counter();
}
