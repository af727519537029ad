// Sending side of the bulk benchmark: one bulk stream as fast as allowed, one chat stream measuring echo latency.
using System.Buffers.Binary;
using System.Diagnostics;
using P2PChat.Core.Transport;

namespace P2PChat.Benchmarks.Transport;

internal static class BulkSender
{
    private const int ChatMessage = 16;

    public static async Task<int> RunAsync(BenchOptions o, CancellationToken ct)
    {
        long bytes = o.Bytes("bytes", long.MaxValue);
        double seconds = o.Number("seconds", double.MaxValue);
        var chatInterval = TimeSpan.FromMilliseconds(o.Number("chat-interval-ms", 20));
        var (connection, owner) = await BenchConnections.ConnectAsync(o, ct);
        await using var ownerScope = owner;
        var bulk = connection.OpenStream();
        var chat = connection.OpenStream();
        var clock = Stopwatch.StartNew();
        using var stopChat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var latencies = new List<double>();
        // A non-positive interval measures bulk alone (the throughput comparison); chat latency is a separate run.
        var chatTask = chatInterval > TimeSpan.Zero ? ChatAsync(chat, chatInterval, latencies, stopChat.Token) : Task.CompletedTask;

        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        long sent = 0;
        while (sent < bytes && clock.Elapsed.TotalSeconds < seconds)
        {
            int n = (int)Math.Min(chunk.Length, bytes - sent);
            await bulk.WriteAsync(chunk.AsMemory(0, n), ct);
            sent += n;
        }
        bulk.CompleteWrites();
        var reply = new byte[8];
        for (int got = 0; got < 8;)
        {
            int n = await bulk.ReadAsync(reply.AsMemory(got), ct);
            if (n == 0) throw new InvalidOperationException("receiver closed before confirming");
            got += n;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        long confirmed = BinaryPrimitives.ReadInt64BigEndian(reply);
        stopChat.Cancel();
        try { await chatTask; } catch (OperationCanceledException) { }
        if (confirmed != sent) throw new InvalidOperationException($"receiver confirmed {confirmed} of {sent} bytes");
        latencies.Sort();
        string chatSummary = latencies.Count == 0 ? "chat_samples=0"
            : $"chat_samples={latencies.Count} chat_p50_ms={Percentile(latencies, 0.50):F2} chat_p99_ms={Percentile(latencies, 0.99):F2}";
        string stats = connection is TransportConnection udp ? " " + "packets_" + udp.Statistics.ToString().Replace(" ", " packets_") : "";
        Console.WriteLine($"result bytes={sent} seconds={elapsed:F3} MBps={sent / elapsed / 1e6:F4} {chatSummary}{stats}");
        await connection.CloseAsync(ct);
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    /// <summary>Sends a timestamped 16-byte message every interval and records how long its echo took.</summary>
    private static async Task ChatAsync(IReliableStream chat, TimeSpan interval, List<double> latencies, CancellationToken ct)
    {
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[ChatMessage];
            while (true)
            {
                for (int got = 0; got < ChatMessage;)
                {
                    int n = await chat.ReadAsync(buffer.AsMemory(got), ct);
                    if (n == 0) return;
                    got += n;
                }
                long sentAt = BinaryPrimitives.ReadInt64BigEndian(buffer);
                lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
            }
        }, ct);
        using var timer = new PeriodicTimer(interval);
        var message = new byte[ChatMessage];
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                BinaryPrimitives.WriteInt64BigEndian(message, Stopwatch.GetTimestamp());
                await chat.WriteAsync(message, ct);
            }
        }
        finally
        {
            try { await reader; } catch (Exception e) when (e is OperationCanceledException or TransportException) { }
        }
    }
}
