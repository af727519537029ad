// Tests how statuses read: snake_case names, penalty seconds, and which codes are failures.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class StatusTextTests
{
    [Theory]
    [InlineData(StatusCode.AuthOk, "auth_ok")]
    [InlineData(StatusCode.SignedInElsewhere, "signed_in_elsewhere")]
    [InlineData((StatusCode)200, "status_200")]
    public void Names_are_snake_case(StatusCode code, string name) => Assert.Equal(name, StatusText.Name(code));

    [Fact]
    public void Penalties_show_the_seconds_left_except_in_answers_to_msg()
    {
        Assert.Equal("slow down (42 s left)", StatusText.Describe(new Status(StatusCode.Flooding, Opcode.Buzz, Tag.None, 42, "slow down")));
        Assert.Equal("slow down, 42 s", StatusText.Describe(new Status(StatusCode.Flooding, Opcode.Msg, Tag.None, 7, "slow down, 42 s")));
        Assert.Equal("the account is banned (60 s left)", StatusText.Describe(new Status(StatusCode.Banned, Opcode.Iam, Tag.None, 60, "")));
    }

    [Fact]
    public void News_is_never_taken_as_the_answer_to_a_request()
    {
        Assert.True(StatusText.IsNews(StatusCode.OfflineMessages));
        Assert.True(StatusText.IsNews(StatusCode.FriendRequest));
        Assert.False(StatusText.IsNews(StatusCode.AuthOk));
        Assert.False(StatusText.IsNews(StatusCode.Ok));
    }

    [Fact]
    public void Successes_and_news_are_not_failures()
    {
        foreach (var code in new[] { StatusCode.AuthOk, StatusCode.Registered, StatusCode.Ok, StatusCode.OfflineMessages, StatusCode.Buzzed, StatusCode.ServerShuttingDown })
            Assert.False(StatusText.IsFailure(code));
        foreach (var code in new[] { StatusCode.WrongPassword, StatusCode.UsernameExists, StatusCode.NotAllowed, StatusCode.Flooding, StatusCode.UnknownChannel })
            Assert.True(StatusText.IsFailure(code));
    }
}
