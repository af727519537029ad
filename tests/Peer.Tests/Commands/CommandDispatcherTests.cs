// Tests that the dispatcher runs commands against the client and turns every failure into an error event.
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using Xunit;

namespace P2PChat.Peer.Tests.Commands;

public sealed class CommandDispatcherTests
{
    private readonly RecordingChatSession _client = new();
    private readonly ListEventSink _events = new();
    private CommandDispatcher Dispatcher => new(_client, _events);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/msg bob hello world", "msg bob hello world")]
    [InlineData("/msg #lobby  hi there ", "msg #lobby hi there")]
    [InlineData("/login alice \"pass word\"", "login alice pass word")]
    [InlineData("/register alice pw email=a@b.c nickname=Al fullname=\"Alice A\" birthdate=2000-01-02 gender=f location=Paris",
        "register alice pw email=a@b.c nickname=Al fullname=Alice A birthdate=2000-01-02 gender=f location=Paris")]
    [InlineData("/nick Ally", "nick Ally")]
    [InlineData("/away", "away <back>")]
    [InlineData("/away out for lunch", "away out for lunch")]
    [InlineData("/create #dev invite-only", "create #dev True")]
    [InlineData("/create #dev", "create #dev False")]
    [InlineData("/join #dev", "join #dev")]
    [InlineData("/invite bob #dev", "invite bob #dev")]
    [InlineData("/leave #dev", "leave #dev")]
    [InlineData("/topic #dev all about dev", "topic #dev all about dev")]
    [InlineData("/who #dev", "who #dev")]
    [InlineData("/whois bob", "whois bob")]
    [InlineData("/friend add bob", "friend Request bob")]
    [InlineData("/friend ACCEPT bob", "friend Accept bob")]
    [InlineData("/friend refuse bob", "friend Refuse bob")]
    [InlineData("/friend remove bob", "friend Remove bob")]
    [InlineData("/friends", "friends")]
    [InlineData("/ignore bob", "ignore bob True")]
    [InlineData("/unignore bob", "ignore bob False")]
    [InlineData("/buzz bob", "buzz bob")]
    [InlineData("/kick bob", "kick bob <server>")]
    [InlineData("/kick bob #dev", "kick bob #dev")]
    [InlineData("/ban bob 15", "ban bob 15")]
    [InlineData("/MSG bob hi", "msg bob hi")]
    public async Task Commands_call_the_client(string line, string call)
    {
        Assert.True(await Dispatcher.RunAsync(line, Ct));
        Assert.Equal([call], _client.Calls);
        Assert.Empty(_events.Events);
    }

    [Theory]
    [InlineData("/dance", PeerErrorCode.UnknownCommand, "dance")]
    [InlineData("hello", PeerErrorCode.UnknownCommand, "hello")]
    [InlineData("/msg bob", PeerErrorCode.BadArguments, "msg")]
    [InlineData("/ban bob soon", PeerErrorCode.BadArguments, "ban")]
    [InlineData("/register alice pw colour=blue", PeerErrorCode.BadArguments, "register")]
    [InlineData("/help dance", PeerErrorCode.UnknownCommand, "help")]
    public async Task Bad_commands_give_an_error_event_and_the_peer_keeps_going(string line, PeerErrorCode code, string command)
    {
        Assert.True(await Dispatcher.RunAsync(line, Ct));
        var error = _events.Single<ErrorEvent>();
        Assert.Equal((int)code, error.Code);
        Assert.Equal(command, error.Command);
        Assert.False(string.IsNullOrWhiteSpace(error.Text));
        Assert.Empty(_client.Calls);
    }

    [Fact]
    public async Task A_failure_in_the_client_becomes_an_error_event()
    {
        _client.Failure = new CommandFailedException(PeerErrorCode.NotSignedIn, "sign in first");
        Assert.True(await Dispatcher.RunAsync("/buzz bob", Ct));
        Assert.Equal(new ErrorEvent((int)PeerErrorCode.NotSignedIn, "sign in first", "buzz"), _events.Single<ErrorEvent>());
    }

    [Fact]
    public async Task Quit_calls_the_client_and_stops()
    {
        Assert.False(await Dispatcher.RunAsync("/quit", Ct));
        Assert.Equal(["quit"], _client.Calls);
    }

    [Fact]
    public async Task Blank_lines_do_nothing()
    {
        Assert.True(await Dispatcher.RunAsync("   ", Ct));
        Assert.Empty(_client.Calls);
        Assert.Empty(_events.Events);
    }

    [Fact]
    public async Task Help_lists_every_command_with_its_usage()
    {
        await Dispatcher.RunAsync("/help", Ct);
        var help = _events.Single<HelpEvent>();
        Assert.Equal(CommandRegistry.Default.All.Count, help.Commands.Count);
        Assert.Contains(help.Commands, h => h.Command == "msg" && h.Usage == "/msg USER|#CHANNEL TEXT");
        foreach (var required in new[] { "register", "login", "nick", "away", "msg", "create", "join", "invite", "leave", "who",
                     "friend", "friends", "ignore", "unignore", "buzz", "kick", "ban", "quit", "help" })
            Assert.Contains(help.Commands, h => h.Command == required);
    }

    [Fact]
    public void Registry_completes_command_names() =>
        Assert.Equal(["friend", "friends"], CommandRegistry.Default.Complete("/fri"));
}
