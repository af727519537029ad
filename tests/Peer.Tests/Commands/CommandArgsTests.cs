// Tests binding a command line's arguments to a command's parameters.
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Commands;

public sealed class CommandArgsTests
{
    private static CommandSpec Spec(string name) => CommandRegistry.Default.Find(name)!;

    private static CommandFailedException Fails(string command, string args)
    {
        var e = Assert.Throws<CommandFailedException>(() => CommandArgs.Bind(Spec(command), args));
        Assert.Equal((int)PeerErrorCode.BadArguments, e.Code);
        Assert.Contains("usage: /" + command, e.Message);
        return e;
    }

    [Fact]
    public void Msg_takes_the_rest_of_the_line_as_text()
    {
        var a = CommandArgs.Bind(Spec("msg"), " bob hello   world, \"quoted\" ");
        Assert.Equal("bob", a["USER|#CHANNEL"]);
        Assert.Equal("hello   world, \"quoted\"", a["TEXT"]);
    }

    [Fact]
    public void Missing_required_arguments_name_the_parameter()
    {
        Assert.Contains("TEXT is missing", Fails("msg", "bob").Message);
        Assert.Contains("PASSWORD is missing", Fails("login", "alice").Message);
    }

    [Fact]
    public void Extra_arguments_are_refused() => Assert.Contains("too many arguments", Fails("buzz", "bob carol").Message);

    [Fact]
    public void Channels_must_be_written_with_a_hash()
    {
        Assert.Contains("not a channel", Fails("join", "lobby").Message);
        Assert.Equal("#lobby", CommandArgs.Bind(Spec("join"), "#lobby")["#CHANNEL"]);
    }

    [Fact]
    public void Choices_are_checked_and_optional_words_may_be_left_out()
    {
        Assert.Contains("must be one of", Fails("friend", "befriend bob").Message);
        Assert.Contains("must be one of", Fails("create", "#x public").Message);
        Assert.Equal("invite-only", CommandArgs.Bind(Spec("create"), "#x Invite-Only").Optional("MODE"));
        Assert.Null(CommandArgs.Bind(Spec("create"), "#x").Optional("MODE"));
    }

    [Fact]
    public void Optional_text_is_null_when_absent()
    {
        Assert.Null(CommandArgs.Bind(Spec("away"), "  ").Optional("TEXT"));
        Assert.Equal("gone fishing", CommandArgs.Bind(Spec("away"), "gone fishing").Optional("TEXT"));
    }

    [Fact]
    public void Register_collects_key_value_pairs_with_quotes()
    {
        var a = CommandArgs.Bind(Spec("register"), "alice \"pass word\" nickname=Al location=\"New York\"");
        Assert.Equal("pass word", a["PASSWORD"]);
        Assert.Equal(["nickname=Al", "location=New York"], a.Pairs);
        Assert.Contains("not key=value", Fails("register", "alice pw nickname").Message);
    }

    [Fact]
    public void Usage_shows_optional_parts_in_brackets()
    {
        Assert.Equal("/kick USER [#CHANNEL]", Spec("kick").Usage);
        Assert.Equal("/friend add|accept|refuse|remove USER", Spec("friend").Usage);
        Assert.Equal("/register USER PASSWORD [key=value...]", Spec("register").Usage);
        Assert.Equal("/quit", Spec("quit").Usage);
    }
}
