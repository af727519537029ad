// Dispatches the transport benchmark commands (independent of BenchmarkDotNet): send, recv, link.
namespace P2PChat.Benchmarks.Transport;

/// <summary>
/// <code>
/// transport-recv --bind IP:PORT [--tcp] [--protect]
/// transport-send --to IP:PORT (--bytes 256M | --seconds 20) [--tcp] [--protect] [--chat-interval-ms 20 (0 = no chat)] [--cc newreno]
///                [--packet-size 1200] [--send-buffer 1M] [--ack-every 2] [--no-pacing] [--no-pmtud] [--cipher aesgcm]
/// transport-litenet-recv --bind IP:PORT  /  transport-litenet-send --to IP:PORT (--bytes 256M | --seconds 20)   (LiteNetLib baseline)
/// transport-link --ns-a A --ns-b B --addr-a IP --addr-b IP --delay-ms D --loss P   (userspace netem over TUN)
/// </code>
/// The sender prints one line: <c>result bytes=… seconds=… MBps=… chat_samples=… chat_p50_ms=… chat_p99_ms=…</c>.
/// </summary>
internal static class TransportBenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var stop = new CancellationTokenSource(); // not disposed: signal handlers may fire while the process exits
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var options = new BenchOptions(args.Skip(1));
        return args[0] switch
        {
            "transport-send" => await BulkSender.RunAsync(options, stop.Token),
            "transport-recv" => await BulkReceiver.RunAsync(options, stop.Token),
            "transport-link" => await LinkEmulatorCommand.RunAsync(options, stop.Token),
            "transport-litenet-send" => await LiteNetLibBulk.SendAsync(options, stop.Token),
            "transport-litenet-recv" => await LiteNetLibBulk.ReceiveAsync(options, stop.Token),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: transport-send | transport-recv | transport-link (see TransportBenchCommand.cs)");
        return 2;
    }
}
