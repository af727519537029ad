// Tests of the view state: buffers, unread and highlight counting, bells, buzz, navigation, members, safety.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class ChatViewStateTests
{
    private static ChatViewState NewState()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        state.SetMyNick("me");
        foreach (var id in new[] { "#rust", "@bob", "#go" }) state.OpenBuffer(id);
        return state;
    }

    [Fact]
    public void Buffers_are_ordered_general_channels_private()
    {
        Assert.Equal(["#general", "#rust", "#go", "@bob"], NewState().BufferIdsInOrder());
    }

    [Fact]
    public void Messages_in_other_buffers_count_as_unread_and_mentions_as_highlights()
    {
        var state = NewState();
        state.AddMessage("#rust", "bob", "hello all");
        state.AddMessage("#rust", "bob", "@me look at this");
        state.AddMessage("#rust", "carol", "ME: and this");
        var rust = state.Summary("#rust")!;
        Assert.Equal(3, rust.Unread);
        Assert.Equal(2, rust.Highlights);
        Assert.Equal(2, state.TakeBells());
    }

    [Fact]
    public void Current_buffer_own_notices_and_errors_do_not_count()
    {
        var state = NewState();
        state.AddMessage("#general", "bob", "hi me");
        state.AddMessage("#rust", "me", "my own", MessageKind.Own);
        state.Notice("joined", "#rust");
        state.Error("failed", "#rust");
        Assert.Equal((0, 0), (state.Summary("#general")!.Unread, state.Summary("#general")!.Highlights));
        Assert.Equal((0, 0), (state.Summary("#rust")!.Unread, state.Summary("#rust")!.Highlights));
        Assert.Equal(1, state.TakeBells()); // a mention in the current buffer still rings
    }

    [Fact]
    public void My_own_message_naming_me_is_not_a_highlight()
    {
        var state = NewState();
        state.AddMessage("#rust", "me", "me again", MessageKind.Normal);
        Assert.False(state.Messages("#rust")[0].Highlight);
        Assert.Equal(0, state.TakeBells());
    }

    [Fact]
    public void Switching_to_a_buffer_clears_its_counts()
    {
        var state = NewState();
        state.AddMessage("#rust", "bob", "@me");
        state.SwitchTo("#rust");
        Assert.Equal("#rust", state.CurrentBufferId);
        Assert.Equal(0, state.Summary("#rust")!.Unread);
        Assert.Equal(0, state.Summary("#rust")!.Highlights);
    }

    [Fact]
    public void Next_activity_prefers_highlights_then_unread_and_wraps()
    {
        var state = NewState();
        state.AddMessage("#rust", "bob", "plain");
        state.AddMessage("@bob", "bob", "hey me");
        state.NextActivity();
        Assert.Equal("@bob", state.CurrentBufferId);
        state.NextActivity();
        Assert.Equal("#rust", state.CurrentBufferId);
        state.NextActivity();
        Assert.Equal("#rust", state.CurrentBufferId); // nothing left: stays
    }

    [Fact]
    public void Index_and_relative_switching_wrap_around()
    {
        var state = NewState();
        state.SwitchToIndex(3);
        Assert.Equal("@bob", state.CurrentBufferId);
        state.NextBuffer();
        Assert.Equal("#general", state.CurrentBufferId);
        state.PreviousBuffer();
        Assert.Equal("@bob", state.CurrentBufferId);
        state.SwitchToIndex(8);
        Assert.Equal("@bob", state.CurrentBufferId);
    }

    [Fact]
    public void Buzz_adds_a_notice_flashes_and_rings()
    {
        var time = new ManualTimeProvider();
        var state = new ChatViewState(time);
        state.Buzz("bob");
        Assert.Contains("bob buzzed you", state.Messages("#general")[^1].Text);
        Assert.Equal(1, state.TakeBells());
        Assert.True(state.Status.IsFlashing(time.GetUtcNow()));
        time.Advance(ChatViewState.FlashDuration);
        Assert.False(state.Status.IsFlashing(time.GetUtcNow()));
    }

    [Fact]
    public void Text_from_the_network_is_sanitised()
    {
        var state = NewState();
        state.AddMessage("#rust", "evil\e[31m", "x\e]0;title\a");
        var message = state.Messages("#rust")[0];
        Assert.DoesNotContain('\e', message.Sender + message.Text);
        Assert.DoesNotContain('\a', message.Text);
    }

    [Fact]
    public void Presence_updates_every_member_list_with_that_nick()
    {
        var state = NewState();
        state.SetMembers("#rust", [new Member("bob", MemberPresence.Online), new Member("carol", MemberPresence.Online)]);
        state.SetMember("#go", new Member("bob", MemberPresence.Online));
        state.SetPresence("bob", MemberPresence.Away);
        lock (state.Gate)
        {
            Assert.Equal(MemberPresence.Away, state.Buffers.Find("#rust")!.Members["bob"]);
            Assert.Equal(MemberPresence.Away, state.Buffers.Find("#go")!.Members["bob"]);
            Assert.Equal(MemberPresence.Online, state.Buffers.Find("#rust")!.Members["carol"]);
        }
    }

    [Fact]
    public void History_loads_above_live_messages_without_counting_and_marks_day_breaks()
    {
        var state = NewState();
        var yesterday = ManualTimeProvider.Noon.AddDays(-1);
        state.AddMessage("#rust", "bob", "live");
        state.LoadHistory("#rust", [new ChatMessage(yesterday, "carol", "old", MessageKind.Normal), new ChatMessage(yesterday.AddMinutes(1), "carol", "old @me", MessageKind.Normal)]);
        var messages = state.Messages("#rust");
        Assert.Equal(["old", "old @me", "live"], messages.Select(m => m.Text));
        Assert.True(messages[1].Highlight);
        Assert.Equal(1, state.Summary("#rust")!.Unread);
        lock (state.Gate) Assert.True(state.Buffers.Find("#rust")!.Log[2].DayBreak);
    }

    [Fact]
    public void Closing_the_current_buffer_moves_to_its_neighbour_and_general_stays()
    {
        var state = NewState();
        state.SwitchTo("#go");
        state.CloseBuffer("#go");
        Assert.Equal("#rust", state.CurrentBufferId);
        state.CloseBuffer("#general");
        Assert.Contains("#general", state.BufferIdsInOrder());
    }

    [Fact]
    public async Task Concurrent_writers_lose_nothing_and_wake_the_renderer()
    {
        var state = NewState();
        long before = state.Changes.Version;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < 500; i++) state.AddMessage("#rust", $"w{w}", $"m{i}");
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(writers);
        Assert.Equal(2000, state.Messages("#rust").Count);
        Assert.Equal(2000, state.Summary("#rust")!.Unread);
        Assert.True(state.Changes.Version - before >= 2000);
        Assert.True(await state.Changes.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }
}
