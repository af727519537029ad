// Test support for rooms with real processes: a server and headless peers that create a room, invite and join it.
using System.Text.Json;
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Rooms;

internal static class RoomProcesses
{
    /// <summary>Signs up <paramref name="names"/>; the first creates room <paramref name="room"/> and invites the others, who join.</summary>
    public static async Task<PeerProcess[]> RoomOfAsync(Cluster cluster, string room, params string[] names)
    {
        var peers = await Task.WhenAll(names.Select(n => cluster.WithKeysAsync(n)));
        var host = peers[0];
        await host.SendAsync($"/room create {room}");
        await host.WaitForAsync("room_joined", e => e.Is("name", room));
        foreach (var member in peers.Skip(1))
        {
            // The members signed up in parallel: an invite is addressed by name, so the host must have seen the member
            // on the server first (CI once sent one before the member's roster entry arrived: "no user 'bob' is known").
            await host.WaitForPresenceAsync(member.Name, "online");
            await host.SendAsync($"/room invite {member.Name} &{room}");
            var invite = await member.WaitForAsync("room_invite", e => e.Is("name", room));
            Assert.Equal(host.Name, invite.Str("from"));
            await member.SendAsync($"/room join {invite.Str("room")}");
            await member.WaitForAsync("room_joined", e => e.Is("name", room));
        }
        foreach (var p in peers) await AllOnlineAsync(p, room, peers.Length);
        return peers;
    }

    /// <summary>The first room_state of <paramref name="room"/> at <paramref name="peer"/> with <paramref name="count"/> members, all online.</summary>
    public static Task<JsonElement> AllOnlineAsync(PeerProcess peer, string room, int count) =>
        peer.WaitForAsync("room_state", e => e.Is("name", room) && Members(e).Count == count && Members(e).All(m => m.Bool("online")));

    public static IReadOnlyList<JsonElement> Members(JsonElement state) => [.. state.GetProperty("members").EnumerateArray()];

    public static IReadOnlyList<string> Names(JsonElement e, string field) => [.. e.GetProperty(field).EnumerateArray().Select(x => x.GetString() ?? "")];

    /// <summary>Waits until <paramref name="peer"/> has shown <paramref name="text"/> from <paramref name="from"/> in the room.</summary>
    public static Task<JsonElement> SaidAsync(PeerProcess peer, string room, string from, string text) =>
        peer.WaitForAsync("message", e => e.Is("to", "&" + room) && e.Is("from", from) && e.Is("text", text));

    /// <summary>How often <paramref name="peer"/> showed <paramref name="text"/> in the room.</summary>
    public static int Times(PeerProcess peer, string room, string text) =>
        peer.Events.Count(e => e.Is("event", "message") && e.Is("to", "&" + room) && e.Is("text", text));

    /// <summary>The latest room_host event of <paramref name="peer"/> for the room (null before the first).</summary>
    public static JsonElement? LatestHost(PeerProcess peer, string roomId) =>
        peer.Events.LastOrDefault(e => e.Is("event", "room_host") && e.Is("room", roomId)) is { ValueKind: JsonValueKind.Object } last ? last : null;
}
