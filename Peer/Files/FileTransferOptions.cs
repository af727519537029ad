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
    /// <summary>Cap on the bytes per second sent for all transfers together (--file-send-rate); null: no cap.</summary>
    public long? SendRate { get; init; }
}
