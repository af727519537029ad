// One file transfer as the transfers panel shows it: who, what, how far, in which direction and state.
namespace P2PChat.Peer.Tui.State;

public enum TransferDirection
{
    Sending,
    Receiving,
}

public enum TransferStatus
{
    Waiting,
    Running,
    Done,
    Failed,
}

/// <param name="Id">Stable id of the transfer (the files layer's).</param>
/// <param name="Done">Bytes moved so far; <paramref name="Total"/> bytes in all (0 = unknown).</param>
public sealed record TransferView(string Id, string Peer, string File, long Done, long Total, TransferDirection Direction, TransferStatus Status)
{
    /// <summary>0..1 for a progress bar.</summary>
    public float Fraction => Total <= 0 ? 0f : (float)Math.Clamp((double)Done / Total, 0, 1);
}
