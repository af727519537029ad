// Client events become view state: buffers, counters, highlights, members, presence, notices, errors and the status bar.
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tui.Binding;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tests.Tui.Support;
using Xunit;
using CorePresence = P2PChat.Core.Protocol.Presence;

namespace P2PChat.Peer.Tests.Tui.Binding;

[Collection(TerminalGuiCollection.Name)]
public sealed class ClientEventBinderTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
    private readonly ChatViewState _state = new();
    private readonly ClientEventBinder _binder;

    public ClientEventBinderTests() => _binder = new ClientEventBinder(_state);

    private void SignIn(string me = "carol", params ClientEvent[] burst)
    {
        _binder.Apply(new ConnectedEvent("127.0.0.1:7777", "AA", PinOutcome.FirstUse, 1));
        foreach (var e in burst) _binder.Apply(e);
        _binder.Apply(new SignedInEvent(me, 0x80000001, me, false));
    }

    private static MessageEvent Message(string from, string to, string text, bool offline = false, bool e2e = false) =>
        new(from, to, text, At, offline, "server", e2e, 1);

    private IReadOnlyList<string> Texts(string buffer) => [.. _state.Messages(buffer).Select(m => m.Text)];

    [Fact]
    public void Channel_messages_go_to_the_channel_and_private_ones_to_the_sender_with_their_original_time()
    {
        SignIn();
        _binder.Apply(Message("alice", "#general", "hello all"));
        _binder.Apply(Message("bob", "carol", "psst", offline: true));

        var general = _state.Messages("#general").Last();
        Assert.Equal(("alice", "hello all", At, MessageKind.Normal), (general.Sender, general.Text, general.Time, general.Kind));
        Assert.Equal(["psst"], Texts("@bob"));
        Assert.Equal(PeerRoute.Server, _state.Summary("@bob")!.Route);
    }

    [Fact]
    public void Another_buffer_counts_unread_and_a_mention_as_a_highlight()
    {
        SignIn();
        _binder.Apply(Message("bob", "carol", "are you there?"));
        _binder.Apply(Message("bob", "carol", "@carol ping"));
        _binder.Apply(Message("alice", "#general", "carol: lunch?"));

        var bob = _state.Summary("@bob")!;
        Assert.Equal((2, 1), (bob.Unread, bob.Highlights));
        Assert.True(_state.Messages("#general").Last().Highlight);
        Assert.Equal((0, 0), (_state.Summary("#general")!.Unread, _state.Summary("#general")!.Highlights)); // current buffer
    }

    [Fact]
    public void The_connection_and_user_show_in_the_status_bar_and_a_lost_connection_as_an_error()
    {
        SignIn("carol");
        Assert.Equal("carol", _state.MyNick);
        _binder.Apply(new DisconnectedEvent("the server closed the connection", 33));

        var last = _state.Messages("#general").Last();
        Assert.Equal(MessageKind.Error, last.Kind);
        Assert.Contains("code 33", last.Text);
        var plain = string.Join('\n', HeadlessScreen.LinesOf(_state, 100, 30));
        Assert.Contains("carol@127.0.0.1:7777", plain);
    }

    [Fact]
    public void Reconnecting_shows_the_attempt_in_the_status_bar_and_general_says_the_connection_was_lost_then_restored()
    {
        SignIn("carol");
        _binder.Apply(new DisconnectedEvent("connection lost: reset", null));
        _binder.Apply(new ReconnectingEvent(1, 1000, "connection lost: reset"));
        _binder.Apply(new ReconnectingEvent(2, 2400, "cannot connect"));

        Assert.Equal(ServerConnectionStatus.Reconnecting, _state.Status.Connection);
        var bar = string.Join('\n', HeadlessScreen.LinesOf(_state, 100, 30));
        Assert.Contains("reconnecting (attempt 2, in 3s)", bar);
        Assert.Single(Texts("#general"), t => t.Contains("connection lost (connection lost: reset); reconnecting"));

        SignIn("carol");
        Assert.Equal(ServerConnectionStatus.Connected, _state.Status.Connection);
        Assert.Equal("connection restored", Texts("#general").Single(t => t.StartsWith("connection restored")));
        var after = string.Join('\n', HeadlessScreen.LinesOf(_state, 100, 30));
        Assert.DoesNotContain("reconnecting (attempt", after);
        Assert.Contains("[connected]", after);
    }

    [Fact]
    public void My_channels_open_with_their_topic_members_and_a_note_that_they_are_not_end_to_end_encrypted()
    {
        SignIn("carol",
            new UserEvent(0x80000002, "alice", "alice", CorePresence.Away, "lunch", false, false),
            new ChannelEvent(0x40000002, "#rust", "crabs only", false, false),
            new ChannelEvent(0x40000003, "#secret", "invited, not joined", true, false),
            new MembersEvent("#rust", 0x40000002, ["alice", "carol"], ["alice"]));

        Assert.Equal(["#general", "#rust"], _state.BufferIdsInOrder());
        Assert.Equal("crabs only", _state.Summary("#rust")!.Title);
        Assert.Contains(Texts("#rust"), t => t.Contains("not end-to-end encrypted"));
        Assert.Contains("alice", _state.NicksForCompletion()); // general lists who is on
    }

    [Fact]
    public void Joining_switches_to_the_channel_and_others_joining_and_leaving_are_noticed()
    {
        SignIn();
        _binder.Apply(new JoinedEvent("#dev", "carol"));
        Assert.Equal("#dev", _state.CurrentBufferId);

        _binder.Apply(new JoinedEvent("#dev", "bob"));
        Assert.Contains("bob", _state.NicksForCompletion());
        _binder.Apply(new LeftEvent("#dev", "bob", Kicked: true, By: "carol"));
        Assert.DoesNotContain("bob", _state.NicksForCompletion());
        Assert.Equal("bob was kicked by carol", Texts("#dev").Last());
    }

    [Fact]
    public void Errors_help_invites_and_friend_requests_appear_inline_in_the_current_buffer()
    {
        SignIn();
        _binder.Apply(new ErrorEvent(21, "no such channel", "join"));
        _binder.Apply(new HelpEvent([new HelpEntry("msg", "/msg USER|#CHANNEL TEXT", "send TEXT")]));
        _binder.Apply(new InviteEvent("#dev", "alice"));
        _binder.Apply(new FriendRequestEvent("bob"));

        var lines = _state.Messages("#general").TakeLast(5).ToList();
        Assert.Equal((MessageKind.Error, "/join: no such channel"), (lines[0].Kind, lines[0].Text));
        Assert.Equal("/msg USER|#CHANNEL TEXT  send TEXT", lines[1].Text);
        Assert.StartsWith("keys: ", lines[2].Text);
        Assert.Contains("/join #dev", lines[3].Text);
        Assert.Contains("/friend accept bob", lines[4].Text);
    }

    [Fact]
    public void A_failed_connection_shows_as_disconnected_with_the_reason()
    {
        _state.SetConnection(ServerConnectionStatus.Connecting, "carol", "127.0.0.1:7777");
        _binder.Apply(new ErrorEvent(105, "connection refused", "connect"));

        Assert.Equal("/connect: connection refused", Texts("#general").Last());
        var plain = string.Join('\n', HeadlessScreen.LinesOf(_state, 100, 30));
        Assert.Contains("[offline]", plain);
    }

    [Fact]
    public void A_buzz_says_who_and_flashes()
    {
        SignIn();
        _binder.Apply(new BuzzEvent("alice"));
        Assert.Equal("alice buzzed you!", Texts("#general").Last());
        var plain = string.Join('\n', HeadlessScreen.LinesOf(_state, 100, 30));
        Assert.Contains("BUZZ from alice", plain);
    }

    [Fact]
    public void Being_kicked_or_signed_out_elsewhere_disconnects_with_an_error()
    {
        SignIn();
        _binder.Apply(new SignedOutElsewhereEvent("signed in from another place"));
        Assert.Equal((MessageKind.Error, "signed out: signed in from another place"), (_state.Messages("#general").Last().Kind, Texts("#general").Last()));
        var plain = string.Join('\n', HeadlessScreen.LinesOf(_state, 100, 30));
        Assert.Contains("[offline]", plain);
    }

    [Fact]
    public void A_message_stored_offline_is_noticed_in_the_conversation()
    {
        SignIn();
        _binder.Apply(new SentEvent("bob", 3, 9, At, StoredOffline: true));
        Assert.Contains("bob is offline", Texts("@bob").Single());
    }

    [Fact]
    public void An_end_to_end_encrypted_message_is_marked()
    {
        SignIn();
        _binder.Apply(Message("bob", "carol", "secret", e2e: true));
        Assert.True(_state.Messages("@bob").Single().Encrypted);
    }

    [Fact]
    public async Task RunAsync_applies_events_in_order_until_the_stream_completes_and_lets_an_observer_see_each()
    {
        var events = new EventStream();
        var seen = new List<ClientEvent>();
        events.Publish(new SignedInEvent("carol", 1, "carol", false));
        events.Publish(Message("alice", "#general", "one"));
        events.Publish(Message("alice", "#general", "two"));
        events.Complete();

        await _binder.RunAsync(events, seen.Add, TestContext.Current.CancellationToken);

        Assert.Equal(3, seen.Count);
        Assert.Equal(["one", "two"], Texts("#general").TakeLast(2));
    }

    [Fact]
    public void A_changed_key_is_an_alarm_in_the_contacts_buffer_and_a_pointer_in_the_current_one()
    {
        SignIn();
        _binder.Apply(Message("bob", "carol", "hi"));
        _binder.Apply(new KeyChangedEvent("bob", "11111 22222", "33333 44444", "bob's identity key is not the one on record."));

        var alarm = _state.Messages("@bob").Last();
        Assert.Equal(MessageKind.Error, alarm.Kind);
        Assert.Contains("SECURITY", alarm.Text);
        Assert.Contains("/trust bob", alarm.Text);
        Assert.True(_state.Summary("@bob")!.Highlights > 0);
        Assert.Contains(_state.Messages("#general"), m => m.Kind == MessageKind.Error && m.Text.Contains("@bob"));
        Assert.True(_state.TakeBells() > 0);
    }

    [Fact]
    public void Held_messages_undecryptable_ones_and_untrusted_senders_are_said_in_the_contacts_buffer()
    {
        SignIn();
        _binder.Apply(new MessageHeldEvent("bob", 2, "bob's key changed"));
        _binder.Apply(new DecryptFailedEvent("bob", "authentication failed", 9, false));
        _binder.Apply(Message("bob", "carol", "trust me", e2e: true) with { KeyStatus = "changed" });

        var lines = _state.Messages("@bob");
        Assert.Contains(lines, m => m.Kind == MessageKind.Error && m.Text.Contains("held") && m.Text.Contains("/trust bob"));
        Assert.Contains(lines, m => m.Kind == MessageKind.Error && m.Text.Contains("could not be decrypted"));
        Assert.Contains(lines, m => m.Kind == MessageKind.Error && m.Text.Contains("not trusted yet"));
        Assert.True(lines.Single(m => m.Text == "trust me").Encrypted);
    }

    [Fact]
    public void Invite_only_channels_are_announced_as_encrypted_and_open_ones_as_not()
    {
        SignIn("carol",
            new ChannelEvent(7, "#dev", "", InviteOnly: true, Operator: false),
            new ChannelEvent(8, "#lobby", "", InviteOnly: false, Operator: false),
            new MembersEvent("#dev", 7, ["carol", "alice"], []),
            new MembersEvent("#lobby", 8, ["carol"], []));

        Assert.Contains(Texts("#dev"), t => t.Contains("are end-to-end encrypted"));
        Assert.DoesNotContain(Texts("#dev"), t => t.Contains("not end-to-end"));
        Assert.Contains(Texts("#lobby"), t => t.Contains("not end-to-end encrypted"));
    }

    [Fact]
    public void My_own_encrypted_messages_are_shown_as_encrypted()
    {
        TuiFrontEnd.EchoOwn(_state, "carol", "bob", "secret", encrypted: true);
        Assert.True(_state.Messages("@bob").Single().Encrypted);
    }

    [Fact]
    public void A_pending_whois_answer_becomes_a_notice_and_ordinary_user_updates_do_not()
    {
        var whois = new PendingWhois();
        var binder = new ClientEventBinder(_state, whois);
        binder.Apply(new SignedInEvent("carol", 0x80000001, "carol", false));
        binder.Apply(new UserEvent(2, "bob", "Bobby", CorePresence.Online, "", Friend: true, Admin: false));
        int before = _state.Messages("#general").Count;

        whois.Observe("/whois Bob");
        binder.Apply(new ContactKeyEvent("bob", "verified", "1111 2222", "000 111", 0));
        binder.Apply(new UserEvent(3, "alice", "alice", CorePresence.Online, "", false, false));
        binder.Apply(new UserEvent(2, "bob", "Bobby", CorePresence.Away, "brb", Friend: true, Admin: false));
        binder.Apply(new UserEvent(2, "bob", "Bobby", CorePresence.Online, "", Friend: true, Admin: false));

        var whoisLines = Texts("#general").Skip(before).Where(t => t.StartsWith("whois", StringComparison.Ordinal)).ToList();
        Assert.Equal(["whois bob: nickname Bobby · away (brb) · friend · key verified, fingerprint 1111 2222"], whoisLines);
    }

    [Fact]
    public void A_failed_whois_is_forgotten_and_help_lists_the_keys()
    {
        var whois = new PendingWhois();
        var binder = new ClientEventBinder(_state, whois);
        whois.Observe("/whois nobody");
        binder.Apply(new ErrorEvent(4, "no such user", "whois"));
        binder.Apply(new UserEvent(9, "nobody", "nobody", CorePresence.Online, "", false, false));
        binder.Apply(new HelpEvent([]));

        Assert.Equal(["/whois: no such user"], _state.Messages("#general").Where(m => m.Kind == MessageKind.Error).Select(m => m.Text));
        Assert.DoesNotContain(Texts("#general"), t => t.StartsWith("whois", StringComparison.Ordinal));
        Assert.Contains(Texts("#general"), t => t.Contains("Alt-Up/Alt-Down", StringComparison.Ordinal));
    }
}
