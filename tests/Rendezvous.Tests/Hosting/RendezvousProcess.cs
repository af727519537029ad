// Runs the built p2pchat-rendezvous as a real child process and reads its endpoint and fingerprint from its log.
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Hosting;

internal sealed partial class RendezvousProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _fingerprint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private RendezvousProcess(Process process) => _process = process;

    public IPEndPoint Endpoint { get; private set; } = null!;
    public string Fingerprint { get; private set; } = "";
    public int Id => _process.Id;
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    /// <summary>Starts <c>dotnet p2pchat-rendezvous.dll --listen 127.0.0.1:0 --data DIR [extraArgs]</c> (the dll is copied next to
    /// this test assembly by the project reference) and waits until it logs its endpoint.</summary>
    public static Task<RendezvousProcess> StartAsync(string dataDirectory, params string[] extraArgs) =>
        StartAsync(dataDirectory, new Dictionary<string, string?>(), extraArgs);

    /// <summary>The same with changes to the child's environment (a null value removes the variable).</summary>
    public static async Task<RendezvousProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> environment, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "p2pchat-rendezvous.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] args = [dll, "--listen", "127.0.0.1:0", "--data", dataDirectory, "--password-memory-kib", "64", "--password-passes", "1", "--Rendezvous:MaxSignUpsPerAddress", "100000", .. extraArgs];
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new RendezvousProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync(TestClient.Ct);
            var ready = Task.WhenAll(child._listening.Task, child._fingerprint.Task);
            var first = await Task.WhenAny(ready, exited).WaitAsync(TimeSpan.FromSeconds(60), TestClient.Ct);
            if (first != ready) throw new InvalidOperationException($"the server exited early:\n{child.Output}");
            child.Endpoint = await child._listening.Task;
            child.Fingerprint = await child._fingerprint.Task;
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no chance to flush or say goodbye.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestClient.Ct);
    }

    /// <summary>SIGTERM, as a service manager would send; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        Assert.Equal(0, kill(_process.Id, 15));
        await _process.WaitForExitAsync(TestClient.Ct).WaitAsync(TimeSpan.FromSeconds(60), TestClient.Ct);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException) { /* never started */ }
        finally { _process.Dispose(); }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (ListeningLine().Match(line) is { Success: true } l) _listening.TrySetResult(IPEndPoint.Parse(l.Groups[1].Value));
        if (FingerprintLine().Match(line) is { Success: true } f) _fingerprint.TrySetResult(f.Groups[1].Value);
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"fingerprint SHA256 ([0-9A-F:]{95})")]
    private static partial Regex FingerprintLine();

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
