// Two befriended headless peers and a temp folder of things to send, for the file-transfer tests with real processes.
using System.Security.Cryptography;
using System.Text.Json;
using P2PChat.EndToEnd.Tests.Links;
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Files;

internal sealed class FilePeers : IAsyncDisposable
{
    /// <summary>A cap on sending (bytes/s) that makes "mid-way" certain: after t s at most rate × (t + 0.25) bytes went out.</summary>
    public const long SlowRate = 4L << 20;
    public static readonly string[] Slow = ["--file-send-rate", SlowRate.ToString()];

    private FilePeers(Cluster cluster, TempDirectory data) { Cluster = cluster; Data = data; }

    public Cluster Cluster { get; }
    public TempDirectory Data { get; }
    public PeerProcess Alice { get; private set; } = null!;
    public PeerProcess Bob { get; private set; } = null!;
    public string Downloads(PeerProcess peer) => Data.Combine("downloads-" + peer.Name);

    /// <param name="friends">false: strangers, whose links stay on the server's relay (default /set direct friends).</param>
    public static async Task<FilePeers> StartAsync(string[]? aliceArgs = null, string[]? bobArgs = null, bool friends = true)
    {
        var data = new TempDirectory("p2pchat-files");
        Cluster? cluster = null;
        try
        {
            cluster = await Cluster.StartAsync();
            var peers = new FilePeers(cluster, data);
            peers.Alice = await cluster.WithKeysAsync("alice", [.. peers.DownloadArgs("alice"), .. aliceArgs ?? []]);
            peers.Bob = await cluster.WithKeysAsync("bob", [.. peers.DownloadArgs("bob"), .. bobArgs ?? []]);
            if (friends) await HeadlessLinkTests.BefriendAsync(peers.Alice, peers.Bob);
            return peers;
        }
        catch
        {
            if (cluster is not null) await cluster.DisposeAsync();
            data.Dispose();
            throw;
        }
    }

    private string[] DownloadArgs(string name) => ["--download-folder", Data.Combine("downloads-" + name)];

    /// <summary>Kills <paramref name="peer"/> (SIGKILL) and starts it again on the same profile, signed in.</summary>
    public async Task<PeerProcess> KillAndRestartAsync(PeerProcess peer, string[]? args = null, Action? whileDown = null)
    {
        await peer.KillAsync();
        whileDown?.Invoke();
        var again = await Cluster.SignedInAsync(Cluster.Peer(peer.Name, [.. DownloadArgs(peer.Name), .. args ?? []]), peer.Name);
        if (peer == Alice) Alice = again; else Bob = again;
        return again;
    }

    /// <summary>A file of <paramref name="size"/> random bytes under the data folder.</summary>
    public string RandomFile(string relative, long size) => WriteRandom(Data.Combine("src", relative), size);

    /// <summary>Writes <paramref name="size"/> random bytes to <paramref name="path"/> (folders made as needed).</summary>
    public static string WriteRandom(string path, long size)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        var buffer = new byte[1 << 20];
        for (long left = size; left > 0; left -= buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
        return path;
    }

    /// <summary>/send, then the offer as the receiver sees it.</summary>
    public static async Task<string> OfferAsync(PeerProcess from, PeerProcess to, string path, int skip = 0)
    {
        await from.SendAsync($"/send {to.Name} {path}");
        return (await to.WaitForAsync("file_offer", e => e.Is("from", from.Name), skip)).Str("id");
    }

    public Task<JsonElement> DoneAsync(PeerProcess peer, string id, TimeSpan? within = null) =>
        WaitFileAsync(peer, "file_done", id, [Alice, Bob], within: within);

    /// <summary>The first progress event of <paramref name="id"/> on <paramref name="peer"/> at or past <paramref name="bytes"/>.</summary>
    public Task<JsonElement> PastAsync(PeerProcess peer, string id, long bytes, int skip = 0) =>
        WaitFileAsync(peer, "file_progress", id, [Alice, Bob], e => e.Long("bytes") >= bytes, skip);

    /// <summary>
    /// The <paramref name="name"/> event of transfer <paramref name="id"/> on <paramref name="peer"/>. When none comes, the
    /// failure says first why the transfer did not move, from the events of <paramref name="peers"/>: a transfer with
    /// more than 4 MiB left waits for a direct path (file_waiting) while the link stays on the relay, which the test
    /// cannot tell from a slow transfer otherwise; then each peer's last link event.
    /// </summary>
    public static async Task<JsonElement> WaitFileAsync(PeerProcess peer, string name, string id, IReadOnlyList<PeerProcess> peers,
        Func<JsonElement, bool>? match = null, int skip = 0, TimeSpan? within = null)
    {
        try
        {
            return await peer.WaitForAsync(name, e => e.Is("id", id) && (match?.Invoke(e) ?? true), skip, within);
        }
        catch (Xunit.Sdk.FailException e)
        {
            Assert.Fail($"{peer.Name}: no '{name}' of transfer {id[..8]}: {WhyStalled(id, [peer, .. peers])}\n{e.Message}");
            throw;
        }
    }

    private static string LastLink(PeerProcess peer) =>
        peer.Events.LastOrDefault(e => e.Is("event", "link")) is { ValueKind: JsonValueKind.Object } link ? link.ToString() : "none";

    private static string WhyStalled(string id, IEnumerable<PeerProcess> peers)
    {
        var all = peers.Distinct().ToList();
        var links = string.Join("; ", all.Select(p => $"{p.Name}'s last link event: {LastLink(p)}"));
        var waiting = all.SelectMany(p => p.Events).LastOrDefault(e => e.Is("event", "file_waiting") && e.Is("id", id));
        return waiting.ValueKind == JsonValueKind.Object
            ? $"the transfer WAITED FOR A DIRECT PATH and the link never went direct (file_waiting: {waiting.Str("reason")}); {links}"
            : $"no file_waiting for it (not held back from the relay); {links}";
    }

    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>Relative path → SHA-256 (files) or "dir" (folders) of everything under <paramref name="root"/>.</summary>
    public static SortedDictionary<string, string> Tree(string root)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            tree[Path.GetRelativePath(root, entry.FullName)] = entry is DirectoryInfo ? "dir" : Sha256Of(entry.FullName);
        return tree;
    }

    public async ValueTask DisposeAsync()
    {
        try { await Cluster.DisposeAsync(); }
        finally { Data.Dispose(); }
    }
}
