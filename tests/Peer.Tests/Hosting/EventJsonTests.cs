// Tests the JSON form of events: the event name first, snake_case fields, ISO 8601 UTC times, enums as words.
using System.Text.Json;
using P2PChat.Core.Protocol;
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using P2PChat.Peer.Headless;
using P2PChat.Peer.Hosting;
using Xunit;

namespace P2PChat.Peer.Tests.Hosting;

public sealed class EventJsonTests
{
    private static JsonElement Parse(ClientEvent e) => JsonDocument.Parse(EventJson.Serialize(e)).RootElement;

    [Fact]
    public void Message_has_every_field_the_issue_names_with_an_iso_utc_time()
    {
        var sentAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 89, TimeSpan.FromHours(2));
        var line = EventJson.Serialize(new MessageEvent("alice", "bob", "hi \"there\"", sentAt, true, "server", false, 42));
        Assert.StartsWith("{\"event\":\"message\",", line);
        Assert.DoesNotContain('\n', line);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("alice", json.GetProperty("from").GetString());
        Assert.Equal("bob", json.GetProperty("to").GetString());
        Assert.Equal("hi \"there\"", json.GetProperty("text").GetString());
        Assert.Equal("2026-03-04T03:06:07.089Z", json.GetProperty("sent_at").GetString());
        Assert.True(json.GetProperty("offline").GetBoolean());
        Assert.Equal("server", json.GetProperty("route").GetString());
        Assert.False(json.GetProperty("e2e").GetBoolean());
        Assert.Equal(42ul, json.GetProperty("message_id").GetUInt64());
    }

    [Theory]
    [InlineData(typeof(SignedOutElsewhereEvent), "signed_out_elsewhere")]
    [InlineData(typeof(FriendRequestEvent), "friend_request")]
    [InlineData(typeof(FriendUpdateEvent), "friend_update")]
    [InlineData(typeof(SignedInEvent), "signed_in")]
    [InlineData(typeof(UserEvent), "user")]
    [InlineData(typeof(ErrorEvent), "error")]
    public void Event_names_are_the_record_names_in_snake_case(Type type, string name) => Assert.Equal(name, EventJson.NameOf(type));

    [Fact]
    public void Enums_are_snake_case_words()
    {
        Assert.Equal("away", Parse(new PresenceEvent("bob", Presence.Away, "lunch")).GetProperty("presence").GetString());
        Assert.Equal("first_use", Parse(new ConnectedEvent("h:1", "AA", PinOutcome.FirstUse, 1)).GetProperty("pin").GetString());
    }

    [Fact]
    public void Null_fields_are_left_out_and_lists_are_arrays()
    {
        var left = Parse(new LeftEvent("#dev", "bob", false, null));
        Assert.False(left.TryGetProperty("by", out _));
        var members = Parse(new MembersEvent("#dev", 5, ["alice", "bob"], ["alice"]));
        Assert.Equal(["alice", "bob"], members.GetProperty("members").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public void Every_field_name_is_snake_case()
    {
        var signedIn = Parse(new SignedInEvent("alice", 0x80000001, "Al", true));
        Assert.Equal(["event", "user", "tag", "nickname", "admin"], signedIn.EnumerateObject().Select(p => p.Name));
        var sent = Parse(new SentEvent("bob", 7, 9, DateTimeOffset.UnixEpoch, true));
        Assert.Equal(["event", "to", "request_id", "message_id", "sent_at", "stored_offline"], sent.EnumerateObject().Select(p => p.Name));
    }
}
