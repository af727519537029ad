// The TUI's log file: events without message texts, and the console's writers given back afterwards.
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using P2PChat.Peer.Hosting;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Hosting;

[Collection(ConsoleCollection.Name)]
public sealed class RunLogTests
{
    [Fact]
    public void Events_and_stray_console_output_go_to_the_file_but_message_texts_do_not()
    {
        using var dir = new TempDirectory();
        var before = Console.Out;
        using (var log = RunLog.Open(dir.Path))
        {
            log.Capture();
            Console.WriteLine("stray");
            log.Event(new MessageEvent("bob", "carol", "a private text", DateTimeOffset.UnixEpoch, false, "server", false, 1));
            log.Event(new BuzzEvent("bob"));
        }
        Assert.Same(before, Console.Out);

        var text = File.ReadAllText(Path.Combine(dir.Path, RunLog.FileName));
        Assert.Contains("stray", text);
        Assert.Contains("message from bob to carol (14 chars)", text);
        Assert.Contains("\"event\":\"buzz\"", text);
        Assert.DoesNotContain("a private text", text);
    }
}

/// <summary>Tests that swap Console.Out run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
