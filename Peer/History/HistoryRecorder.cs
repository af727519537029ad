// Writes every conversation line to the profile's history, for both front ends, before anyone else sees it.
using Microsoft.Data.Sqlite;
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.History;

/// <summary>
/// Sits between the client and the event stream: <see cref="Publish"/> stores a message event in
/// <see cref="HistoryStore"/> and only then passes it on. The client sends OFFLINE_ACK after Publish returns
/// (see <c>ServerFrameHandler</c>), so the server forgets an offline message only once it is on disk here.
/// Own messages have no event with their text; the command layer reports them through <see cref="RecordOwn"/>.
/// A failed write is reported as an error event and does not stop the conversation.
/// </summary>
public sealed class HistoryRecorder(HistoryStore store, IEventSink next, TimeProvider? time = null) : IEventSink
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private volatile string _me = "";

    /// <summary>My username once signed in (own private messages are filed under the recipient).</summary>
    public string Me => _me;

    public void Publish(ClientEvent e)
    {
        switch (e)
        {
            case SignedInEvent s:
                _me = s.User;
                break;
            case MessageEvent m:
                var own = string.Equals(m.From, _me, StringComparison.OrdinalIgnoreCase);
                Store(new HistoryEntry(0, HistoryBuffers.ForMessage(m.From, m.To, _me), m.From, m.Text, m.SentAt,
                    own ? HistoryKind.Own : HistoryKind.Message, m.E2e, m.Offline));
                break;
        }
        next.Publish(e);
    }

    /// <summary>Stores a line I sent to <paramref name="target"/> ("#rust" or a username) now.</summary>
    public void RecordOwn(string target, string text, bool encrypted = false) =>
        Store(new HistoryEntry(0, HistoryBuffers.ForTarget(target), _me, text, _time.GetUtcNow(), HistoryKind.Own, encrypted, false));

    private void Store(HistoryEntry entry)
    {
        try
        {
            store.Append(entry);
        }
        catch (SqliteException ex)
        {
            next.Publish(new ErrorEvent((int)PeerErrorCode.HistoryFailed, $"could not write history.db: {ex.Message}", null));
        }
    }
}
