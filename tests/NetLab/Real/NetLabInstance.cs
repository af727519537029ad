// One running real lab (scripts/netlab.sh): unique prefix per instance, commands inside its namespaces, teardown on dispose.
using System.Diagnostics;
using P2PChat.TestSupport;

namespace P2PChat.NetLab.Real;

/// <summary>
/// Needs root and the lab's programs: without them the test skips saying why, and fails under CI=true
/// (<see cref="Require"/>). The prefix holds the test process id and a counter, so concurrent runs never collide.
/// <see cref="DisposeAsync"/> always runs <c>netlab.sh down</c>, which stops the lab's daemons and anything still
/// running in its namespaces, and deletes them.
/// </summary>
public sealed class NetLabInstance : IAsyncDisposable
{
    public const string ServerAddress = "11.0.0.1";
    public const string ServerAddress6 = "2a0f:11::1";
    public const string Host1 = "192.168.1.10";
    public const string Router1Wan = "11.1.1.2";
    public const string Host1Ipv6 = "2a0f:11:10::10";
    private static int _counter;

    private NetLabInstance(string prefix, string scenario)
    {
        Prefix = prefix;
        Scenario = scenario;
    }

    public string Prefix { get; }
    public string Scenario { get; }
    /// <summary>The lab's state folder (configs, pids, daemon logs).</summary>
    public string StateFolder => $"/tmp/netlab-{Prefix}";

    /// <summary>"inet", "r1", "r2", "h1" or "h2" → the namespace name.</summary>
    public string Namespace(string node) => $"{Prefix}-{node}";

    /// <summary>A launcher that runs a program inside <paramref name="node"/>'s namespace.</summary>
    public IReadOnlyList<string> In(string node) => ["ip", "netns", "exec", Namespace(node)];

    public static async Task<NetLabInstance> StartAsync(string scenario, CancellationToken ct)
    {
        Require.Root("network namespaces");
        var programs = new List<string> { "ip", "iptables", "nft", "ss" };
        if (scenario is "upnp" or "pmp") programs.AddRange(["miniupnpd", "upnpc"]);
        if (scenario is "v6" or "v6sym") programs.Add("ip6tables");
        foreach (var p in programs) Require.That(Require.HasProgram(p), $"'{p}' is not installed (scripts/install-test-deps.sh)");
        var lab = new NetLabInstance($"p2l{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}", scenario);
        var (code, output) = await RunAsync(["bash", Script, "up", lab.Prefix, scenario], ct);
        if (code != 0)
        {
            await lab.DisposeAsync();
            Require.That(false, $"netlab.sh up {scenario} failed ({code}): {output}");
        }
        return lab;
    }

    /// <summary>Starts coturn (STUN only) on <see cref="ServerAddress"/> at each port; stopped by teardown.</summary>
    public async Task StartCoturnAsync(CancellationToken ct, params int[] ports)
    {
        Require.That(Require.HasProgram("turnserver"), "coturn is not installed (scripts/install-test-deps.sh)");
        var (code, output) = await RunAsync(["bash", Script, "coturn", Prefix, .. ports.Select(p => p.ToString())], ct);
        if (code != 0) throw new InvalidOperationException($"netlab.sh coturn failed ({code}): {output}");
    }

    /// <summary>Router <paramref name="router"/> (1 or 2) becomes a <paramref name="kind"/> NAT (cone or symmetric) now,
    /// forgetting the UDP mappings it held (<c>netlab.sh nat</c>).</summary>
    public async Task ChangeNatAsync(int router, string kind, CancellationToken ct)
    {
        Require.That(Require.HasProgram("conntrack"), "conntrack is not installed (scripts/install-test-deps.sh)");
        var (code, output) = await RunAsync(["bash", Script, "nat", Prefix, router.ToString(), kind], ct);
        if (code != 0) throw new InvalidOperationException($"netlab.sh nat failed ({code}): {output}");
    }

    /// <summary>Runs a command inside a node and returns its exit code and output (stdout then stderr).</summary>
    public Task<(int Code, string Output)> ExecAsync(string node, IEnumerable<string> command, CancellationToken ct) =>
        RunAsync([.. In(node), .. command], ct);

    private static async Task<(int, string)> RunAsync(IReadOnlyList<string> command, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>scripts/netlab.sh of the checkout these tests were built from.</summary>
    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "scripts", "netlab.sh");
                if (File.Exists(path)) return path;
            }
            throw new FileNotFoundException("scripts/netlab.sh not found above " + AppContext.BaseDirectory);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Teardown must run even when the test was cancelled: no token.
        await RunAsync(["bash", Script, "down", Prefix], CancellationToken.None);
    }
}
