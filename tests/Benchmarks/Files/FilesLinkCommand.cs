// "files-send" / "files-recv": one file through the file sessions between two processes over the transport (UDP with
// the links' packet protection, or the TCP path), so a file transfer can run across an emulated impaired link.
using System.Diagnostics;
using P2PChat.Benchmarks.Transport;
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Files.Sessions;
using P2PChat.Core.Transport;

namespace P2PChat.Benchmarks.Files;

/// <summary>
/// <code>
/// files-recv --bind IP:PORT --dir FOLDER [--protect | --tcp] [transport options of transport-recv]
/// files-send --to IP:PORT --file PATH    [--protect | --tcp] [transport options of transport-send]
/// </code>
/// One stream: the sender writes the Offer frame (the manifest, hashed before the clock starts), then runs
/// <see cref="SendSession"/> (Hello, requested chunks); the receiver reads the Offer, checks Hello's id and runs
/// <see cref="ReceiveSession"/> into FOLDER (every chunk verified, whole-file SHA-256, rename). The sender prints
/// <c>result bytes=… seconds=… MBps=… outcome=…</c>, timed from the Offer to the receiver's Done.
/// </summary>
internal static class FilesLinkCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var options = new BenchOptions(args.Skip(1));
        return args[0] == "files-send" ? await SendAsync(options, stop.Token) : await ReceiveAsync(options, stop.Token);
    }

    private static async Task<int> SendAsync(BenchOptions o, CancellationToken ct)
    {
        var file = o.Text("file") ?? throw new ArgumentException("--file PATH");
        var built = await ManifestBuilder.BuildAsync(file, TransferId.NewRandom(), ct);
        var (connection, owner) = await BenchConnections.ConnectAsync(o, ct);
        await using var ownerScope = owner;
        var clock = Stopwatch.StartNew();
        using var stream = new TransferStream(connection.OpenStream());
        await stream.WriteAsync(new OfferMessage(built.Manifest), ct);
        using var chunks = new ChunkSource(built.Manifest, built.Root);
        var result = await new SendSession(built.Manifest, chunks).RunAsync(stream, ct);
        var seconds = clock.Elapsed.TotalSeconds;
        var bytes = built.Manifest.Entries.Sum(e => e.Size);
        Console.WriteLine($"result bytes={bytes} seconds={seconds:F3} MBps={bytes / seconds / 1e6:F4} outcome={result.Outcome} chunk={built.Manifest.ChunkSize}");
        Console.Error.WriteLine(GcLine());
        await connection.CloseAsync(ct);
        return result.Outcome == SessionOutcome.Completed ? 0 : 1;
    }

    private static async Task<int> ReceiveAsync(BenchOptions o, CancellationToken ct)
    {
        var folder = o.Text("dir") ?? throw new ArgumentException("--dir FOLDER");
        var (connection, owner) = await BenchConnections.AcceptAsync(o, ct);
        await using var ownerScope = owner;
        using var stream = new TransferStream(await connection.AcceptStreamAsync(ct));
        if (await stream.ReadAsync(ct) is not OfferMessage { Manifest: var manifest })
            throw new FileProtocolException("expected an Offer first");
        if (await stream.ReadAsync(ct) is not HelloMessage hello || hello.Id != manifest.Id)
            throw new FileProtocolException("expected the offer's Hello");
        Directory.CreateDirectory(folder);
        using var files = new IncomingFiles(manifest, folder, IncomingFiles.ChooseTopName(folder, manifest.Name), Path.Combine(folder, manifest.Id + ".bitmap"));
        var result = await new ReceiveSession(manifest, files, TimeProvider.System, ReceiveOptions.Default).RunAsync(stream, ct);
        Console.Error.WriteLine($"received: {result.Outcome} {result.Reason}");
        Console.Error.WriteLine(GcLine());
        try { await connection.AcceptStreamAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token); }
        catch (Exception e) when (e is TransportException or OperationCanceledException) { } // the sender closes
        return result.Outcome == SessionOutcome.Completed ? 0 : 1;
    }

    /// <summary>Garbage made and the gen0 budget seen, for the memory rows (docs/benchmarks.md).</summary>
    private static string GcLine()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        return $"gc allocated_mb={GC.GetTotalAllocatedBytes() / 1e6:F1} gen0_collections={GC.CollectionCount(0)} " +
               $"gen0_before_last_mb={info.GenerationInfo[0].SizeBeforeBytes / 1e6:F1} heap_mb={GC.GetTotalMemory(false) / 1e6:F1}";
    }
}
