// Test support: two (or more) peers with real loopback links, each running the file transfer service on its own profile folder.
using P2PChat.Core.Protocol;
using P2PChat.NetLab.Links;
using P2PChat.Peer.Files;
using P2PChat.TestSupport;

namespace P2PChat.Peer.Tests.Files;

public sealed class FileTransferHarness : IAsyncDisposable
{
    private readonly LoopbackLinkHub _hub = new();
    private readonly TempDirectory _temp = new("p2pchat-peer-files");
    private readonly Dictionary<string, Side> _sides = [];

    /// <summary>A peer; <paramref name="sendRate"/> (bytes/s) paces what it sends, so a test that interrupts a transfer
    /// "mid-way" after its first progress event cannot find it already finished (loopback moves 40 MiB in a quarter second).
    /// <paramref name="time"/>: the service's clock (its retry waits), the system's by default.</summary>
    public Side Add(string name, long? sendRate = null, TimeProvider? time = null)
    {
        var side = new Side(this, name, _hub.AddPeer(), _temp.Combine(name)) { SendRate = sendRate, Time = time ?? TimeProvider.System };
        _sides[name] = side;
        side.Restart();
        return side;
    }

    public string Folder => _temp.Path;

    internal Tag? TagOf(string name) => _sides.TryGetValue(name, out var s) ? s.Links.Tag : null;

    internal string? NameOf(Tag tag) => _sides.Values.FirstOrDefault(s => s.Links.Tag == tag)?.Name;

    public async ValueTask DisposeAsync()
    {
        foreach (var side in _sides.Values) await side.Files.DisposeAsync();
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    public sealed class Side(FileTransferHarness harness, string name, LoopbackContactLinks links, string home)
    {
        public string Name { get; } = name;
        public LoopbackContactLinks Links { get; } = links;
        public FileEventLog Events { get; private set; } = new();
        public FileTransfers Files { get; private set; } = null!;
        public string Downloads => Path.Combine(home, "downloads");

        /// <summary>The --file-send-rate of this peer (null: unpaced); used by the next <see cref="Restart"/>.</summary>
        public long? SendRate { get; set; }

        /// <summary>The service's clock; used by the next <see cref="Restart"/>.</summary>
        public TimeProvider Time { get; set; } = TimeProvider.System;

        /// <summary>Starts the service (again) on the same profile folder, as a restarted peer would.</summary>
        public void Restart()
        {
            Events = new FileEventLog();
            Files = new FileTransfers(Links, new FileTransferOptions(Path.Combine(home, "transfers"), Downloads)
            {
                RetryDelay = TimeSpan.FromMilliseconds(100),
                MaxRetryDelay = TimeSpan.FromSeconds(1),
                ProgressInterval = TimeSpan.Zero,
                SendRate = SendRate,
                Time = Time,
            }, Events, harness.TagOf, harness.NameOf);
            Files.Start();
        }

        public async Task StopAsync() => await Files.DisposeAsync();
    }
}
