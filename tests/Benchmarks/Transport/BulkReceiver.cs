// Receiving side of the bulk benchmark: counts the bulk stream, confirms its total, echoes chat messages.
using System.Buffers.Binary;
using P2PChat.Core.Transport;

namespace P2PChat.Benchmarks.Transport;

internal static class BulkReceiver
{
    public static async Task<int> RunAsync(BenchOptions o, CancellationToken ct)
    {
        var (connection, owner) = await BenchConnections.AcceptAsync(o, ct);
        await using var ownerScope = owner;
        var bulkDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                IReliableStream stream;
                try { stream = await connection.AcceptStreamAsync(ct); }
                catch (Exception e) when (e is TransportException or OperationCanceledException) { return; }
                _ = stream.Id is 0 or 1 ? CountAsync(stream, bulkDone, ct) : EchoAsync(stream, ct);
            }
        }, ct);
        await bulkDone.Task.WaitAsync(ct);
        try { await connection.AcceptStreamAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token); }
        catch (Exception e) when (e is TransportException or OperationCanceledException) { } // the sender closes
        return 0;
    }

    private static async Task CountAsync(IReliableStream stream, TaskCompletionSource done, CancellationToken ct)
    {
        var buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0) total += n;
        var reply = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(reply, total);
        await stream.WriteAsync(reply, ct);
        stream.CompleteWrites();
        Console.Error.WriteLine($"received {total} bytes");
        done.TrySetResult();
    }

    private static async Task EchoAsync(IReliableStream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        catch (Exception e) when (e is TransportException or OperationCanceledException) { }
    }
}
