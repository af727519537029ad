// "files-bench": 1 GiB through the file transfer sessions over a real secured loopback link, beside a plain TCP copy
// and the link's raw stream throughput measured in the same run, with the chat round trip on the same link meanwhile.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Files.Sessions;
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Transport;
using P2PChat.NetLab.Links;

namespace P2PChat.Benchmarks.Files;

/// <summary>
/// Prints one "key=value" line per measurement: hash speeds (SHA-256 through .NET, SHA-256 through the chaining-state
/// API the chunk check uses since manifest version 3, and BLAKE3, the version 2 chunk hash), tcp_mbps (a
/// .NET TCP copy on 127.0.0.1), stream_mbps (raw stream on a Noise-keyed UDP link, no files), manifest_s (hashing the
/// offer: the sender's one pass, SHA-256 chaining states), transfer_mbps (sessions: read, send, verify every chunk
/// against its chaining states, write, rename), chat_rtt_ms
/// (median and p99 of a 64-byte ping-pong on its own stream of the same link during the transfer, and idle before it),
/// peak_rss_mb (the whole process: both sides together, so each side is below it), cpu_s_per_gib.
/// Arguments: files-bench [BYTES (1 GiB)] [all|baselines|transfer] (scripts/bench-files.sh runs the two halves apart, so
/// the transfer's peak memory is its own).
/// </summary>
public static class FilesBenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var bytes = args.Length > 1 ? long.Parse(args[1]) : 1L << 30;
        var mode = args.Length > 2 ? args[2] : "all";
        var folder = Path.Combine(Path.GetTempPath(), $"p2pchat-bench-files-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            var source = Path.Combine(folder, "payload.bin");
            WritePayload(source, bytes);
            await using var hub = new LoopbackLinkHub();
            var sender = hub.AddPeer();
            var receiver = hub.AddPeer();
            using var echo = receiver.OnStream(PayloadKind.Text, EchoAsync);
            var link = await sender.ConnectAsync(receiver.Tag, CancellationToken.None);
            if (mode is "all" or "baselines")
            {
                HashSpeeds();
                Report("tcp_mbps", Mbps(bytes, await TcpCopyAsync(bytes)));
                Report("stream_mbps", Mbps(bytes, await RawStreamAsync(link, receiver, bytes)));
            }
            if (mode is "all" or "transfer")
            {
                Report("chat_idle_rtt_ms", Percentiles(await PingAsync(link, 50, null)));
                await TransferAsync(link, receiver, source, folder, bytes);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Report(string key, object value) => Console.WriteLine($"{key}={value}");

    private static string Mbps(long bytes, TimeSpan time) => (bytes / 1e6 / time.TotalSeconds).ToString("0.0");

    private static void WritePayload(string path, long bytes)
    {
        var block = new byte[1 << 20];
        new Random(42).NextBytes(block);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long written = 0, i = 0; written < bytes; i++)
        {
            block[0] = (byte)i; block[1] = (byte)(i >> 8); block[2] = (byte)(i >> 16);
            var n = (int)Math.Min(block.Length, bytes - written);
            stream.Write(block, 0, n);
            written += n;
        }
    }

    private static void HashSpeeds()
    {
        var data = new byte[1 << 20];
        new Random(1).NextBytes(data);
        var hash = new byte[32];
        const int rounds = 256;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++) SHA256.HashData(data, hash);
        Report("sha256_mbps", Mbps(rounds << 20, watch.Elapsed));
        watch.Restart();
        var state = P2PChat.Core.Crypto.Primitives.Sha256State.Initial;
        for (var i = 0; i < rounds; i++) state = state.Compress(data);
        Report("sha256_chain_mbps", Mbps(rounds << 20, watch.Elapsed));
        watch.Restart();
        for (var i = 0; i < rounds; i++) hash[0] ^= Blake3.Hasher.Hash(data).AsSpan()[0];
        Report("blake3_mbps", Mbps(rounds << 20, watch.Elapsed));
    }

    private static async Task<TimeSpan> TcpCopyAsync(long bytes)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var receive = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) total += n;
            return total;
        });
        var watch = Stopwatch.StartNew();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            var block = new byte[1 << 20];
            for (long sent = 0; sent < bytes; sent += block.Length) await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, bytes - sent)));
        }
        await receive;
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> RawStreamAsync(IContactLink link, LoopbackContactLinks receiver, long bytes)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sink = receiver.OnStream(PayloadKind.SenderKey, async (_, stream, ct) =>
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0) total += n;
            done.TrySetResult(total);
        });
        var watch = Stopwatch.StartNew();
        var s = link.OpenStream(PayloadKind.SenderKey);
        var block = new byte[1 << 16];
        for (long sent = 0; sent < bytes; sent += block.Length) await s.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, bytes - sent)));
        s.CompleteWrites();
        await done.Task;
        return watch.Elapsed;
    }

    private static async Task EchoAsync(IContactLink link, IReliableStream stream, CancellationToken ct)
    {
        var buffer = new byte[64];
        while (true)
        {
            var got = 0;
            while (got < 64)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(got), ct);
                if (n == 0) { stream.CompleteWrites(); return; }
                got += n;
            }
            await stream.WriteAsync(buffer, ct);
        }
    }

    /// <summary>Round trips of 64 bytes on one chat stream, one every 20 ms, until <paramref name="until"/> ends (or <paramref name="count"/>).</summary>
    private static async Task<List<double>> PingAsync(IContactLink link, int count, Task? until)
    {
        var stream = link.OpenStream(PayloadKind.Text);
        var ping = new byte[64];
        var pong = new byte[64];
        var samples = new List<double>();
        while (until is null ? samples.Count < count : !until.IsCompleted)
        {
            var watch = Stopwatch.StartNew();
            await stream.WriteAsync(ping);
            for (var got = 0; got < 64;) got += await stream.ReadAsync(pong.AsMemory(got));
            samples.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(20);
        }
        stream.CompleteWrites();
        return samples;
    }

    private static string Percentiles(List<double> samples)
    {
        if (samples.Count == 0) return "none";
        samples.Sort();
        return $"median:{samples[samples.Count / 2]:0.00},p99:{samples[(int)(samples.Count * 0.99)]:0.00},n:{samples.Count}";
    }

    private static async Task TransferAsync(IContactLink link, LoopbackContactLinks receiver, string source, string folder, long bytes)
    {
        var process = Process.GetCurrentProcess();
        var watch = Stopwatch.StartNew();
        var built = await ManifestBuilder.BuildAsync(source, TransferId.NewRandom(), CancellationToken.None);
        Report("manifest_s", watch.Elapsed.TotalSeconds.ToString("0.00"));
        var target = Path.Combine(folder, "in");
        Directory.CreateDirectory(target);
        var received = new TaskCompletionSource<SessionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var handler = receiver.OnStream(PayloadKind.FileData, async (_, raw, ct) =>
        {
            using var stream = new TransferStream(raw);
            await stream.ReadAsync(ct);
            using var files = new IncomingFiles(built.Manifest, target, "payload.bin", Path.Combine(folder, "bitmap"));
            received.TrySetResult(await new ReceiveSession(built.Manifest, files, TimeProvider.System, ReceiveOptions.Default).RunAsync(stream, ct));
        });
        var cpu = process.TotalProcessorTime;
        watch.Restart();
        using var chunks = new ChunkSource(built.Manifest, built.Root);
        using var data = new TransferStream(link.OpenStream(PayloadKind.FileData));
        var sending = new SendSession(built.Manifest, chunks).RunAsync(data, CancellationToken.None);
        var pings = PingAsync(link, 0, received.Task);
        var outcome = await received.Task;
        var elapsed = watch.Elapsed;
        await sending;
        process.Refresh();
        Report("transfer_outcome", outcome.Outcome);
        Report("transfer_mbps", Mbps(bytes, elapsed));
        Report("chat_rtt_ms", Percentiles(await pings));
        Report("cpu_s_per_gib", ((process.TotalProcessorTime - cpu).TotalSeconds / (bytes / (double)(1L << 30))).ToString("0.00"));
        Report("peak_rss_mb", (process.PeakWorkingSet64 / 1e6).ToString("0"));
        Report("file_ok", File.Exists(Path.Combine(target, "payload.bin")));
    }
}
