// The /msg hook reports exactly the messages the client accepted, and leaves other commands alone.
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using Xunit;

namespace P2PChat.Peer.Tests.Commands;

public sealed class SentMessageHookTests
{
    private readonly RecordingChatSession _client = new();
    private readonly ListEventSink _events = new();
    private readonly List<(string Target, string Text)> _sent = [];

    private CommandDispatcher Dispatcher() =>
        new(_client, _events, new CommandRegistry(SentMessageHook.Around(BuiltInCommands.All, (t, x) => _sent.Add((t, x)))));

    [Fact]
    public async Task A_sent_message_is_reported_with_its_target_and_verbatim_text()
    {
        await Dispatcher().RunAsync("/msg #rust  hello \"quoted\" world", TestContext.Current.CancellationToken);
        Assert.Equal([("#rust", "hello \"quoted\" world")], _sent);
        Assert.Equal(["msg #rust hello \"quoted\" world"], _client.Calls);
    }

    [Fact]
    public async Task A_refused_message_and_other_commands_are_not_reported()
    {
        var dispatcher = Dispatcher();
        await dispatcher.RunAsync("/join #rust", TestContext.Current.CancellationToken);
        _client.Failure = new CommandFailedException(PeerErrorCode.NotSignedIn, "not signed in");
        await dispatcher.RunAsync("/msg bob hi", TestContext.Current.CancellationToken);

        Assert.Empty(_sent);
        Assert.Equal("msg", _events.Single<ErrorEvent>().Command);
    }
}
