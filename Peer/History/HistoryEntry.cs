// One line of local conversation history as the peer keeps it: which buffer, who, what, when.
namespace P2PChat.Peer.History;

/// <summary>Kinds of lines a buffer shows; stored as an integer.</summary>
public enum HistoryKind
{
    Message = 0,
    Own = 1,
    Notice = 2,
    Error = 3,
}

/// <summary>
/// A history line. <c>Buffer</c> names the conversation as the UI does (<c>#general</c>, <c>#rust</c>, <c>@bob</c>);
/// <c>Id</c> is assigned by the store and orders lines within the profile.
/// </summary>
public sealed record HistoryEntry(
    long Id, string Buffer, string Sender, string Text, DateTimeOffset SentAt, HistoryKind Kind, bool Encrypted, bool Offline);
