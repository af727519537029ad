// "transport-link": joins two existing network namespaces with TUN devices and emulates an impaired link until stopped.
using System.Diagnostics;
using P2PChat.NetLab.Emulation;

namespace P2PChat.Benchmarks.Transport;

internal static class LinkEmulatorCommand
{
    /// <summary>--ns-a A --ns-b B --addr-a 10.99.1.1 --addr-b 10.99.1.2 --delay-ms 20 --loss 0.01 [--jitter-ms 0] [--reorder 0]</summary>
    public static async Task<int> RunAsync(BenchOptions o, CancellationToken ct)
    {
        var impairment = new LinkImpairment
        {
            Delay = TimeSpan.FromMilliseconds(o.Number("delay-ms", 0)),
            Jitter = TimeSpan.FromMilliseconds(o.Number("jitter-ms", 0)),
            Loss = o.Number("loss", 0),
            Reorder = o.Number("reorder", 0),
        };
        string tag = $"{Environment.ProcessId % 100000}";
        using var a = TunDevice.Create($"bta{tag}");
        using var b = TunDevice.Create($"btb{tag}");
        foreach (var (device, ns, address) in new[] { (a, o.Text("ns-a")!, o.Text("addr-a")!), (b, o.Text("ns-b")!, o.Text("addr-b")!) })
        {
            Run($"link set {device.Name} netns {ns}");
            Run($"-n {ns} addr add {address}/24 dev {device.Name}");
            Run($"-n {ns} link set {device.Name} mtu 1500 up");
        }
        using var emulator = new TunLinkEmulator(a, b, impairment, seed: 1);
        Console.WriteLine($"link up: {impairment.ToNetem()}");
        try { await Task.Delay(Timeout.Infinite, ct); }
        catch (OperationCanceledException) { }
        Console.Error.WriteLine($"link: forwarded {emulator.Forwarded}, dropped {emulator.Dropped}");
        return 0;
    }

    private static void Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ip {arguments}: {error}");
    }
}
