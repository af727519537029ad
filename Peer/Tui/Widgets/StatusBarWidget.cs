// The status bar: clock, connection state, me@server, current buffer, route to a PM peer, scroll state, buzz flash.
using P2PChat.Peer.Tui.State;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>
/// "[HH:mm] [connected] alice@host:7777 (or "[reconnecting (attempt 2, in 4s)]") │ 2:@bob │ via direct │ -MORE(42)-". While a buzz flashes,
/// the whole bar turns red and starts with "BUZZ from bob".
/// </summary>
internal static class StatusBarWidget
{
    public static StyledRow Render(StatusState status, ChatBuffer current, int currentIndex, int scrollOffset, DateTimeOffset localNow, int width)
    {
        bool flashing = status.IsFlashing(localNow);
        Attribute bar = flashing ? Theme.Flash : Theme.Bar;
        var row = new RowBuilder(width);
        if (flashing) row.Add($" BUZZ from {status.BuzzFrom} ", bar);
        var connection = ConnectionText(status.Connection) + (status.ConnectionDetail.Length > 0 ? $" ({status.ConnectionDetail})" : "");
        row.Add($"[{localNow:HH:mm}] [", bar).Add(connection, flashing ? bar : ConnectionStyle(status.Connection)).Add("] ", bar);
        if (status.User.Length > 0 || status.Server.Length > 0) row.Add($"{status.User}@{status.Server} ", bar);
        row.Add($"│ {currentIndex + 1}:{current.Id} ", bar);
        if (current.Kind == BufferKind.Private) row.Add($"│ via {RouteText(current.Route)} ", bar);
        if (scrollOffset > 0) row.Add($"│ -MORE({scrollOffset})- ", flashing ? bar : Theme.BarWarn);
        return row.Build(bar);
    }

    private static string ConnectionText(ServerConnectionStatus state) => state switch
    {
        ServerConnectionStatus.Connected => "connected",
        ServerConnectionStatus.Connecting => "connecting",
        ServerConnectionStatus.Reconnecting => "reconnecting",
        _ => "offline",
    };

    private static Attribute ConnectionStyle(ServerConnectionStatus state) => state switch
    {
        ServerConnectionStatus.Connected => Theme.BarGood,
        ServerConnectionStatus.Disconnected => Theme.BarBad,
        _ => Theme.BarWarn,
    };

    private static string RouteText(PeerRoute route) => route switch
    {
        PeerRoute.Server => "server",
        PeerRoute.Direct => "direct",
        PeerRoute.Relay => "relay",
        _ => "unknown",
    };
}
