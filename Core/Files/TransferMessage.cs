// The messages of the file transfer protocol, one record per type, and their type numbers.
namespace P2PChat.Core.Files;

/// <summary>
/// Control messages (on FileControl streams) keep the seed's numbers: 8 offer, 9 accept ("peer ready for the file"),
/// 10 reject; then 11 cancel, 12 done, 13 ack, 14 failed. Data messages (on FileData streams) start at 0x20.
/// </summary>
public enum TransferMessageType : byte
{
    Offer = 8,
    Accept = 9,
    Reject = 10,
    Cancel = 11,
    Done = 12,
    Ack = 13,
    Failed = 14,
    Hello = 0x20,
    Ready = 0x21,
    Refused = 0x22,
    Request = 0x23,
    Chunk = 0x24,
}

public abstract record TransferMessage
{
    public abstract TransferMessageType Type { get; }
}

/// <summary>Sender → receiver: the manifest of a new transfer (re-sent after a restart; the receiver answers with its state).</summary>
public sealed record OfferMessage(FileManifest Manifest) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Offer;
}

/// <summary>Receiver → sender: accepted; <see cref="Held"/> says which chunks it already holds verified (all clear at first).</summary>
public sealed record AcceptMessage(TransferId Id, ChunkBitmap Held) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Accept;
}

public sealed record RejectMessage(TransferId Id, string Reason) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Reject;
}

/// <summary>Either side: the transfer stops for good.</summary>
public sealed record CancelMessage(TransferId Id, string Reason) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Cancel;
}

/// <summary>Receiver → sender: every file passed its whole-file SHA-256 and has its final name.</summary>
public sealed record DoneMessage(TransferId Id) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Done;
}

/// <summary>Receiver → sender: the transfer cannot finish (e.g. the source changed under the offer).</summary>
public sealed record FailedMessage(TransferId Id, string Reason) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Failed;
}

/// <summary>The answer to a control message of type <see cref="Of"/>: it was received and stored.</summary>
public sealed record AckMessage(TransferId Id, TransferMessageType Of) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Ack;
}

/// <summary>Sender → receiver, first on a data stream: which transfer this stream carries (checked before any data flows).</summary>
public sealed record HelloMessage(TransferId Id) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Hello;
}

/// <summary>Receiver → sender: the id is one it accepted from this peer; requests follow.</summary>
public sealed record ReadyMessage : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Ready;
}

/// <summary>Receiver → sender: the id was wrong (or not accepted); the stream is then ended.</summary>
public sealed record RefusedMessage(string Reason) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Refused;
}

/// <summary>Receiver → sender: send chunks [First, First + Count) of entry <see cref="Entry"/>.</summary>
public sealed record RequestMessage(int Entry, int First, int Count) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Request;
}

/// <summary>Sender → receiver: chunk <see cref="Index"/> of entry <see cref="Entry"/>; verified against the manifest before it is written.</summary>
public sealed record ChunkMessage(int Entry, int Index, ReadOnlyMemory<byte> Data) : TransferMessage
{
    public override TransferMessageType Type => TransferMessageType.Chunk;
}
