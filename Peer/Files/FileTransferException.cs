// A file command could not be carried out: an unknown user or id, a path that cannot be read, a transfer in the wrong state.
namespace P2PChat.Peer.Files;

/// <summary>Error codes of file commands (the peer's own codes are 100–119; files take 160–169).</summary>
public enum FileErrorCode
{
    UnknownUser = 160,
    UnknownTransfer = 161,
    WrongState = 162,
    CannotRead = 163,
    CannotWrite = 164,
}

public sealed class FileTransferException(FileErrorCode code, string message) : Exception(message)
{
    public FileErrorCode Code { get; } = code;
}
