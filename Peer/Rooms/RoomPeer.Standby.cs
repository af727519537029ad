// A member keeps a warm link to the next in the succession, so a failover needs no new link when the host vanishes.
using P2PChat.Core.Protocol;

namespace P2PChat.Peer.Rooms;

public sealed partial class RoomPeer
{
    /// <summary>How long after a failed attempt a standby link is tried again.</summary>
    private static readonly TimeSpan StandbyRetry = TimeSpan.FromSeconds(5);
    private Tag _standby;
    private long _standbyAt;
    private bool _standbyBusy;

    /// <summary>
    /// Every tick, a member (not the host, not the first successor itself) makes sure a contact link to the first in
    /// the succession is up, in the background. The link layer keeps it alive (keepalives) and hands it out again, so
    /// when the host goes silent the member reaches the successor in one round trip (and the successor, once it
    /// claims the room, summons the members over the same links) instead of an introduction and a handshake.
    /// </summary>
    private void KeepStandbyWarm()
    {
        if (_left || IsHost || State.Succession.Count == 0) return;
        var next = State.Succession[0];
        if (next == _ctx.Me || next == State.Host || _standbyBusy || _ctx.Links.Find(next) is not null) return;
        if (next == _standby && _standbyAt != 0 && _ctx.Time.GetElapsedTime(_standbyAt) < StandbyRetry) return;
        _standby = next;
        _standbyAt = _ctx.Time.GetTimestamp();
        _standbyBusy = true;
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await _ctx.Links.ConnectAsync(next, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Core.Links.ContactLinkUnavailableException or OperationCanceledException or Core.Transport.TransportException or ObjectDisposedException) { }
            finally { Enqueue(() => _standbyBusy = false); }
        });
    }
}
