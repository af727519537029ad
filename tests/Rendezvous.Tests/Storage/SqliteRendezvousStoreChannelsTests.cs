// Tests of channel storage: creation, names, general channel, join/leave, invites, operators, deletion, restart.
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreChannelsTests : StoreWithUsersTestBase
{
    private async Task<Channel> CreateAsync(string name, bool inviteOnly = false, uint? creator = null)
    {
        var result = await Store.CreateChannelAsync(new NewChannel(name, "topic of " + name, inviteOnly, creator ?? Alice), Ct);
        Assert.Equal(ChannelCreationOutcome.Created, result.Outcome);
        return result.Channel!;
    }

    [Fact]
    public async Task General_channel_exists_implicitly_and_its_name_is_reserved()
    {
        var general = await Store.FindChannelByTagAsync(StoreTags.GeneralChannel, Ct);

        Assert.Equal("general", general!.Name);
        Assert.Null(general.CreatorTag);
        Assert.Equal(ChannelCreationOutcome.NameTaken, (await Store.CreateChannelAsync(new NewChannel("#General", null, false, Alice), Ct)).Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.JoinChannelAsync(StoreTags.GeneralChannel, Alice, Ct));
        Assert.Empty(await Store.ListChannelMembersAsync(StoreTags.GeneralChannel, Ct));
    }

    [Fact]
    public async Task Created_channels_get_tags_from_2_and_the_creator_is_operator()
    {
        var first = await CreateAsync("#rust");
        var second = await CreateAsync("dotnet");

        Assert.Equal(2u, first.Tag);
        Assert.Equal(3u, second.Tag);
        Assert.Equal("rust", first.Name);
        Assert.Equal(new Channel(2, "rust", "topic of #rust", false, Alice, Start), await Store.FindChannelByNameAsync("#RUST", Ct));
        Assert.Equal([new ChannelMember(2, Alice, true, Start)], await Store.ListChannelMembersAsync(2, Ct));
        Assert.Equal(ChannelCreationOutcome.NameTaken, (await Store.CreateChannelAsync(new NewChannel("Rust", null, false, Bob), Ct)).Outcome);
    }

    [Fact]
    public async Task Join_leave_and_list_channels_of_user()
    {
        var rust = await CreateAsync("rust");
        var go = await CreateAsync("go");

        Assert.Equal(JoinOutcome.Joined, await Store.JoinChannelAsync(rust.Tag, Bob, Ct));
        Assert.Equal(JoinOutcome.AlreadyMember, await Store.JoinChannelAsync(rust.Tag, Bob, Ct));
        Assert.Equal(JoinOutcome.Joined, await Store.JoinChannelAsync(go.Tag, Bob, Ct));
        Assert.Equal(JoinOutcome.NoSuchChannel, await Store.JoinChannelAsync(99, Bob, Ct));

        Assert.Equal([rust.Tag, go.Tag], (await Store.ListChannelsOfUserAsync(Bob, Ct)).Select(c => c.Tag));
        Assert.Equal([Alice, Bob], (await Store.ListChannelMembersAsync(rust.Tag, Ct)).Select(m => m.UserTag));

        Assert.Equal(LeaveOutcome.Left, await Store.LeaveChannelAsync(rust.Tag, Bob, Ct));
        Assert.Equal(LeaveOutcome.NotMember, await Store.LeaveChannelAsync(rust.Tag, Bob, Ct));
        Assert.Equal([go.Tag], (await Store.ListChannelsOfUserAsync(Bob, Ct)).Select(c => c.Tag));
    }

    [Fact]
    public async Task Last_member_leaving_deletes_the_channel_and_its_tag_is_not_reused()
    {
        var temp = await CreateAsync("temp", inviteOnly: true);
        await Store.InviteToChannelAsync(temp.Tag, Bob, Alice, Ct);

        Assert.Equal(LeaveOutcome.LeftAndChannelDeleted, await Store.LeaveChannelAsync(temp.Tag, Alice, Ct));

        Assert.Null(await Store.FindChannelByTagAsync(temp.Tag, Ct));
        Assert.Empty(await Store.ListInvitesForUserAsync(Bob, Ct));
        var again = await CreateAsync("temp");
        Assert.Equal(temp.Tag + 1, again.Tag);
    }

    [Fact]
    public async Task Invite_only_channel_requires_an_invite_which_join_consumes()
    {
        var secret = await CreateAsync("secret", inviteOnly: true);

        Assert.Equal(JoinOutcome.NotInvited, await Store.JoinChannelAsync(secret.Tag, Bob, Ct));
        Assert.Equal(InviteOutcome.Invited, await Store.InviteToChannelAsync(secret.Tag, Bob, Alice, Ct));
        Assert.Equal(InviteOutcome.AlreadyInvited, await Store.InviteToChannelAsync(secret.Tag, Bob, Alice, Ct));
        Assert.Equal(InviteOutcome.AlreadyMember, await Store.InviteToChannelAsync(secret.Tag, Alice, Alice, Ct));
        Assert.Equal(InviteOutcome.NoSuchChannel, await Store.InviteToChannelAsync(77, Bob, Alice, Ct));
        Assert.Equal([new ChannelInvite(secret.Tag, Bob, Alice, Start)], await Store.ListInvitesForUserAsync(Bob, Ct));

        Assert.Equal(JoinOutcome.Joined, await Store.JoinChannelAsync(secret.Tag, Bob, Ct));

        Assert.Empty(await Store.ListInvitesForUserAsync(Bob, Ct));
        Assert.Equal(LeaveOutcome.Left, await Store.LeaveChannelAsync(secret.Tag, Bob, Ct));
        Assert.Equal(JoinOutcome.NotInvited, await Store.JoinChannelAsync(secret.Tag, Bob, Ct));
    }

    [Fact]
    public async Task Topic_invite_only_flag_and_operators_can_change()
    {
        var channel = await CreateAsync("rust");
        await Store.JoinChannelAsync(channel.Tag, Bob, Ct);

        Assert.True(await Store.SetChannelTopicAsync(channel.Tag, "new topic", Ct));
        Assert.True(await Store.SetChannelInviteOnlyAsync(channel.Tag, true, Ct));
        Assert.True(await Store.SetChannelOperatorAsync(channel.Tag, Bob, true, Ct));
        Assert.True(await Store.SetChannelOperatorAsync(channel.Tag, Alice, false, Ct));
        Assert.False(await Store.SetChannelTopicAsync(50, "x", Ct));

        var stored = await Store.FindChannelByTagAsync(channel.Tag, Ct);
        Assert.Equal("new topic", stored!.Topic);
        Assert.True(stored.InviteOnly);
        Assert.Equal([(Alice, false), (Bob, true)], (await Store.ListChannelMembersAsync(channel.Tag, Ct)).Select(m => (m.UserTag, m.IsOperator)));
    }

    [Fact]
    public async Task Channels_members_and_invites_survive_a_restart()
    {
        var rust = await CreateAsync("rust");
        var secret = await CreateAsync("secret", inviteOnly: true);
        await Store.JoinChannelAsync(rust.Tag, Bob, Ct);
        await Store.InviteToChannelAsync(secret.Tag, Bob, Alice, Ct);

        await ReopenAsync();

        Assert.Equal(rust, await Store.FindChannelByNameAsync("rust", Ct));
        Assert.Equal([Alice, Bob], (await Store.ListChannelMembersAsync(rust.Tag, Ct)).Select(m => m.UserTag));
        Assert.Equal([secret.Tag], (await Store.ListInvitesForUserAsync(Bob, Ct)).Select(i => i.ChannelTag));
        Assert.Equal(4u, (await CreateAsync("next")).Tag);
    }
}
