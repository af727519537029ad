// Tests of the first-run rules: server, user name and password checks, and that answers never print the password.
using P2PChat.Peer.Tui.Setup;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Setup;

public sealed class FirstRunRulesTests
{
    [Theory]
    [InlineData("localhost:7777", true)]
    [InlineData("[::1]:7777", true)]
    [InlineData("10.0.0.1:1", true)]
    [InlineData("host:0", false)]
    [InlineData(":7777", false)]
    [InlineData("host:", false)]
    [InlineData("bad host:7777", false)]
    public void Server_validation(string server, bool valid) => Assert.Equal(valid, FirstRunRules.IsValidServer(server));

    [Theory]
    [InlineData("nohost", false, "carol", "pw", "", "host:port")]
    [InlineData("localhost:7777", false, "bad name!", "pw", "", "1-32 letters")]
    [InlineData("localhost:7777", false, "carol", "", "", "Type your password")]
    [InlineData("localhost:7777", true, "carol", "short", "short", "at least 8 characters")]
    [InlineData("localhost:7777", true, "carol", "longenough", "different", "passwords differ")]
    public void Each_problem_is_explained(string server, bool register, string user, string password, string repeat, string expected) =>
        Assert.Contains(expected, FirstRunRules.Problem(server, register, user, password, repeat));

    [Fact]
    public void Good_answers_have_no_problem_and_never_print_the_password()
    {
        Assert.Null(FirstRunRules.Problem("localhost:7777", true, "carol", "longenough", "longenough"));
        Assert.Null(FirstRunRules.Problem("localhost:7777", false, "carol", "pw", ""));
        Assert.DoesNotContain("s3cret", new FirstRunAnswers("h:1", false, "alice", "s3cret!").ToString());
    }
}
