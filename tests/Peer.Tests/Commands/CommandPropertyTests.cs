// Property tests of the command layer: quoting round-trips any words, and no line whatsoever makes the dispatcher throw.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using Xunit;

namespace P2PChat.Peer.Tests.Commands;

public sealed class CommandPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Fact]
    public void Quoted_words_read_back_unchanged() =>
        Check.One(Runs, Prop.ForAll<string[]>(words =>
        {
            var clean = words.Where(w => w is not null).ToList();
            var reader = new ArgumentReader(string.Join(" \t", clean.Select(ArgumentReader.Quote)));
            var back = new List<string>();
            while (reader.NextWord() is { } w) back.Add(w);
            return back.SequenceEqual(clean);
        }));

    [Fact]
    public void Any_line_either_runs_or_gives_one_error_event()
    {
        var commands = CommandRegistry.Default.All.Select(c => "/" + c.Name).ToArray();
        var lines = ArbMap.Default.GeneratorFor<string>()
            .SelectMany(tail => Gen.Elements(commands).Select(name => $"{name} {tail}"))
            .ToArbitrary();
        Check.One(Runs, Prop.ForAll(lines, line =>
        {
            var client = new RecordingChatSession();
            var events = new ListEventSink();
            new CommandDispatcher(client, events).RunAsync(line ?? "", TestContext.Current.CancellationToken).GetAwaiter().GetResult();
            var errors = events.Events.OfType<ErrorEvent>().Count();
            return (errors == 0 && client.Calls.Count + events.Events.Count == 1) || (errors == 1 && client.Calls.Count == 0);
        }));
    }
}
