// Tests of the first-run dialogue: answers, defaults, re-asking on bad input, masked and confirmed passwords.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Setup;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Setup;

public sealed class FirstRunPromptTests
{
    private readonly ScriptedKeySource _keys = new();
    private readonly StringWriter _output = new();

    private Task<FirstRunAnswers> Run(string? knownServer = null, string? knownUser = null) =>
        new FirstRunPrompt(_keys, _output).RunAsync(knownServer, knownUser, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Sign_in_collects_server_user_and_a_masked_password()
    {
        _keys.Type("chat.example.org:7777\rs\ralice\rs3cret!\r");
        var answers = await Run();
        Assert.Equal(new FirstRunAnswers("chat.example.org:7777", false, "alice", "s3cret!"), answers);
        Assert.DoesNotContain("s3cret", _output.ToString());
        Assert.Contains("Password: *******", _output.ToString());
        Assert.DoesNotContain("s3cret", answers.ToString());
    }

    [Fact]
    public async Task Enter_keeps_what_the_profile_remembers()
    {
        _keys.Type("\r\r\rpw\r");
        var answers = await Run("127.0.0.1:9000", "bob");
        Assert.Equal(("127.0.0.1:9000", false, "bob"), (answers.Server, answers.Register, answers.User));
    }

    [Fact]
    public async Task Bad_answers_are_explained_and_asked_again()
    {
        _keys.Type("nohost\rlocalhost:99999\rlocalhost:7777\rmaybe\rr\rbad name!\rcarol\rshort\rlongenough\rdifferent\rlongenough\rlongenough\r");
        var answers = await Run();
        Assert.Equal(new FirstRunAnswers("localhost:7777", true, "carol", "longenough"), answers);
        var text = _output.ToString();
        Assert.Contains("Give it as host:port", text);
        Assert.Contains("Answer r (register) or s (sign in)", text);
        Assert.Contains("Use 1-32 letters", text);
        Assert.Contains("Use at least 8 characters", text);
        Assert.Contains("The passwords differ", text);
    }

    [Theory]
    [InlineData("localhost:7777", true)]
    [InlineData("[::1]:7777", true)]
    [InlineData("10.0.0.1:1", true)]
    [InlineData("host:0", false)]
    [InlineData(":7777", false)]
    [InlineData("host:", false)]
    [InlineData("bad host:7777", false)]
    public void Server_validation(string server, bool valid) => Assert.Equal(valid, FirstRunPrompt.IsValidServer(server));
}
