// Settings of the file transfer service: where state and downloads go, and its timers.
using P2PChat.Core.Files.Sessions;

namespace P2PChat.Peer.Files;

/// <param name="StateFolder">the profile's transfers folder (records and bitmaps).</param>
/// <param name="DownloadFolder">where accepted files go unless /accept names a folder.</param>
public sealed record FileTransferOptions(string StateFolder, string DownloadFolder)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public ReceiveOptions Receive { get; init; } = ReceiveOptions.Default;
    /// <summary>First wait before trying a contact's link again; doubles up to <see cref="MaxRetryDelay"/>. Presence (online) cuts it short.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Least time between two progress events of one transfer.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>
    /// Most bytes a transfer may still have to send to start on a relayed link: the server's relay has per-user byte
    /// limits (1 MiB/s by default, STATUS 50 past them) meant for messages, so a larger transfer waits for a direct
    /// path and says so (file_waiting), and starts by itself when the link goes direct.
    /// </summary>
    public long RelayMaxBytes { get; init; } = 4L << 20;
    /// <summary>How often a transfer held back from the relay looks whether its link went direct.</summary>
    public TimeSpan RelayRecheck { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Cap on the bytes per second sent for all transfers together (--file-send-rate); null: no cap.</summary>
    public long? SendRate { get; init; }
}
