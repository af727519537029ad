// One room post as the host orders and forwards it: the sender's message id and the sender-key ciphertext.
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>The message id is (sender, sequence): the sender numbers its posts from 1, so duplicates are recognised anywhere.</summary>
public readonly record struct RoomMessageId(Tag Sender, ulong Sequence)
{
    public override string ToString() => $"{Sender.Value:x8}-{Sequence}";
}

/// <summary>An entry: who sent it, its sequence number, and the ciphertext the host cannot read.</summary>
public sealed record RoomEntry(RoomMessageId Id, byte[] Ciphertext);

/// <summary>An entry as a host delivered it: in epoch <see cref="Epoch"/> at position <see cref="Order"/> (from 1).</summary>
public sealed record RoomDelivery(uint Epoch, ulong Order, RoomEntry Entry);
