// A child process (a `dotnet some.dll` or a native executable) with its three standard streams, read line by line; always killed on dispose.
using System.Diagnostics;
using System.Text;

namespace P2PChat.EndToEnd.Tests.Processes;

public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="onStdout">called for each stdout line, on a reader thread.</param>
    /// <param name="onStderr">called for each stderr line, on a reader thread.</param>
    public ChildProcess(ProgramCommand program, IEnumerable<string> args, Action<string> onStdout, Action<string>? onStderr = null,
        IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        // launcher: a command that runs the program somewhere else, e.g. ["ip", "netns", "exec", NS] (it execs, same pid).
        IReadOnlyList<string> words = [.. launcher ?? [], .. program.Words];
        var start = new ProcessStartInfo(words[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var w in words.Skip(1)) start.ArgumentList.Add(w);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onStdout(line); };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (_stderr) _stderr.Add($"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}");   // when it arrived: lines of two processes can be lined up
            onStderr?.Invoke(line);
        };
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public Task Exited => _exited.Task;
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines of stderr, for failure messages.</summary>
    public string StderrTail { get { lock (_stderr) return string.Join('\n', _stderr.TakeLast(30)); } }

    /// <summary>Every stderr line so far, each stamped with the time it arrived.</summary>
    public IReadOnlyList<string> Stderr { get { lock (_stderr) return [.. _stderr]; } }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>End of input: a headless peer takes it as /quit.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>SIGTERM: asks the process to stop (as a service manager or Ctrl-C would).</summary>
    public void Terminate()
    {
        if (!OperatingSystem.IsWindows() && sys_kill(_process.Id, 15) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int sys_kill(int pid, int signal);

    /// <summary>SIGKILL, no goodbye.</summary>
    public async Task KillAsync()
    {
        try { _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits up to <paramref name="grace"/> for the process to end by itself, then kills it.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try { await _exited.Task.WaitAsync(grace); }
        catch (TimeoutException) { await KillAsync(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exited.Task.IsCompleted) await KillAsync();
        await _process.WaitForExitAsync(); // drains the stream readers
        _process.Dispose();
    }
}
