// A real `p2pchat --headless` process: slash commands to its stdin, JSON events read from its stdout.
using System.Text.Json;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Processes;

public sealed class PeerProcess : IAsyncDisposable
{
    // How long a wait may take before the test gives up: a bound for a hang, not a speed claim. 30 s was too short for
    // a sign-up (server-side password hash, key upload) on this 2-core machine at load 60-80 (sessions 8-9).
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;
    private readonly List<JsonElement> _events = [];
    private readonly List<string> _badLines = [];
    private readonly List<(Func<JsonElement, bool> Match, TaskCompletionSource<JsonElement> Done)> _waiters = [];

    public PeerProcess(string name, string server, string profileFolder, IEnumerable<string>? extraArgs = null,
        IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        Name = name;
        ProfileFolder = profileFolder;
        _process = new ChildProcess(BuiltPrograms.Peer,
            ["--headless", "--server", server, "--profile", profileFolder, .. extraArgs ?? []], OnStdout, OnStderr, environment, launcher);
    }

    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _stderrWaiters = [];
    private readonly List<string> _stderrLines = [];

    private void OnStderr(string line)
    {
        lock (_stderrLines)
        {
            _stderrLines.Add(line);
            foreach (var w in _stderrWaiters.Where(w => w.Match(line)).ToList())
            {
                _stderrWaiters.Remove(w);
                w.Done.TrySetResult(line);
            }
        }
    }

    /// <summary>The first stderr (diagnostics) line containing <paramref name="text"/>, written already or still to come.</summary>
    public async Task<string> WaitForStderrAsync(string text, TimeSpan? within = null)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderrLines)
        {
            if (_stderrLines.FirstOrDefault(l => l.Contains(text)) is { } seen) return seen;
            _stderrWaiters.Add((l => l.Contains(text), done));
        }
        try
        {
            return await done.Task.WaitAsync(within ?? SafetyNet, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Name}: no stderr line with '{text}'.\nstderr:\n{_process.StderrTail}{DescribeNeighbours()}");
            throw;
        }
    }

    public string Name { get; }

    /// <summary>The other peers of the same test (set by <see cref="Cluster"/>): a failed wait shows their last events
    /// and diagnostics too, since the cause of a missing event is often on the other side.</summary>
    public Func<IEnumerable<PeerProcess>>? Neighbours { get; set; }

    /// <summary>What a failure message shows of this peer: its last events and its stderr tail.</summary>
    public string Describe(int lastEvents = int.MaxValue) =>
        $"Events:\n{string.Join('\n', Events.TakeLast(lastEvents))}\nstderr:\n{_process.StderrTail}";

    private string DescribeNeighbours() => string.Concat((Neighbours?.Invoke() ?? []).Where(p => p != this)
        .Select(p => $"\n--- {p.Name} (last 15 events) ---\n{p.Describe(15)}"));

    /// <summary>Writes every event and every stderr line so far to <paramref name="folder"/> (NAME.events, NAME.stderr):
    /// what a failed run leaves behind to be read (see <c>P2PCHAT_TEST_LOGS</c> in the lab tests).</summary>
    public void SaveLogs(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, Name + ".events"), Events.Select(e => e.GetRawText()));
        File.WriteAllLines(Path.Combine(folder, Name + ".stderr"), _process.Stderr);
    }

    /// <summary>The --profile folder (its transfers/ subfolder holds the saved file transfers).</summary>
    public string ProfileFolder { get; }

    /// <summary>Every event so far, in order.</summary>
    public IReadOnlyList<JsonElement> Events { get { lock (_events) return [.. _events]; } }

    /// <summary>stdout lines that were not JSON objects with an "event" field (there must be none).</summary>
    public IReadOnlyList<string> BadLines { get { lock (_events) return [.. _badLines]; } }

    private void OnStdout(string line)
    {
        JsonElement e;
        try { e = JsonDocument.Parse(line).RootElement; }
        catch (JsonException) { lock (_events) _badLines.Add(line); return; }
        lock (_events)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("event", out _)) { _badLines.Add(line); return; }
            _events.Add(e);
            foreach (var w in _waiters.Where(w => w.Match(e)).ToList())
            {
                _waiters.Remove(w);
                w.Done.TrySetResult(e);
            }
        }
    }

    public Task SendAsync(string command) => _process.WriteLineAsync(command);

    /// <summary>
    /// The first event named <paramref name="name"/> that matches (already written or still to come), or with
    /// <paramref name="skip"/> the one after that many earlier matches; <paramref name="within"/>: a longer safety net
    /// for slow work (default 30 s).
    /// </summary>
    public Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null, int skip = 0, TimeSpan? within = null) =>
        WaitForAnyAsync([name], match, skip, within);

    /// <summary>
    /// Until <paramref name="user"/> is known to be in <paramref name="presence"/>: a `presence` event, or a `user` event
    /// carrying it (the server coalesces roster changes for up to 250 ms, so someone who signed in and out within that
    /// time first appears as a `user` event that is already offline).
    /// </summary>
    public Task<JsonElement> WaitForPresenceAsync(string user, string presence) =>
        WaitForAnyAsync(["presence", "user"], e => e.Is("user", user) && e.Is("presence", presence));

    private async Task<JsonElement> WaitForAnyAsync(string[] names, Func<JsonElement, bool>? match, int skip = 0, TimeSpan? within = null)
    {
        var seen = 0;
        var name = string.Join("' or '", names);
        bool Matches(JsonElement e) => names.Contains(e.GetProperty("event").GetString()) && (match?.Invoke(e) ?? true) && seen++ >= skip;
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_events)
        {
            foreach (var e in _events) if (Matches(e)) return e;
            _waiters.Add((Matches, done));
        }
        try
        {
            return await done.Task.WaitAsync(within ?? SafetyNet, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Name}: no '{name}' event within {within ?? SafetyNet}.\n{Describe()}{DescribeNeighbours()}");
            throw;
        }
    }

    /// <summary>Sends /quit and waits for the process to end (killing it if it does not); returns the exit code (137
    /// when it had to be killed).</summary>
    public async Task<int> QuitAsync()
    {
        await SendAsync("/quit");
        await _process.StopAsync(TimeSpan.FromSeconds(15));
        return _process.ExitCode;
    }

    /// <summary>Closes stdin and returns the exit code (killing the process if it does not end in time).</summary>
    public async Task<int> CloseInputAsync()
    {
        _process.CloseInput();
        await _process.StopAsync(TimeSpan.FromSeconds(15));
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns the exit code (killing the process if it does not end in time).</summary>
    public async Task<int> TerminateAsync()
    {
        _process.Terminate();
        await _process.StopAsync(TimeSpan.FromSeconds(15));
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no goodbye, nothing flushed (a crash, as far as the process can tell).</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
