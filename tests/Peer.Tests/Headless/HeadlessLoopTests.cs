// Tests the headless loop over in-memory stdin/stdout: commands run in order, events come out as JSON lines.
using System.Text.Json;
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.Headless;
using P2PChat.Peer.Tests.Fakes;
using Xunit;

namespace P2PChat.Peer.Tests.Headless;

public sealed class HeadlessLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(RecordingChatSession Client, List<JsonElement> Lines)> RunAsync(
        string input, IEnumerable<string>? first = null, Action<EventStream>? beforeRun = null)
    {
        var client = new RecordingChatSession();
        var events = new EventStream();
        beforeRun?.Invoke(events);
        var output = new StringWriter();
        var dispatcher = new CommandDispatcher(client, events);
        var loop = new HeadlessLoop(new StringReader(input), output, dispatcher, events);
        await loop.RunAsync(async ct => { foreach (var line in first ?? []) await dispatcher.RunAsync(line, ct); }, Ct);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        return (client, lines);
    }

    [Fact]
    public async Task Commands_run_in_order_and_end_of_input_quits()
    {
        var (client, lines) = await RunAsync("/login alice pw\n/msg bob hi there\n");
        Assert.Equal(["login alice pw", "msg bob hi there", "quit"], client.Calls);
        Assert.Empty(lines);
    }

    [Fact]
    public async Task Quit_stops_reading()
    {
        var (client, _) = await RunAsync("/quit\n/msg bob never\n");
        Assert.Equal(["quit"], client.Calls);
    }

    [Fact]
    public async Task Startup_runs_before_input()
    {
        var (client, _) = await RunAsync("/buzz bob\n", first: ["/connect", "/login alice pw"]);
        Assert.Equal(["connect", "login alice pw", "buzz bob", "quit"], client.Calls);
    }

    [Fact]
    public async Task A_bad_command_writes_an_error_line_and_the_next_command_still_runs()
    {
        var (client, lines) = await RunAsync("/nonsense\n/buzz bob\n");
        var error = Assert.Single(lines);
        Assert.Equal("error", error.GetProperty("event").GetString());
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Equal(["buzz bob", "quit"], client.Calls);
    }

    [Fact]
    public async Task Cancellation_while_waiting_for_input_quits_and_the_last_events_still_get_out()
    {
        var client = new RecordingChatSession();
        var events = new EventStream();
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var dispatcher = new CommandDispatcher(client, events);
        var loop = new HeadlessLoop(new NeverEndingReader(), output, dispatcher, events);
        var run = loop.RunAsync(ct => dispatcher.RunAsync("/buzz bob", ct), stop.Token);
        events.Publish(new BuzzEvent("carol"));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(["buzz bob", "quit"], client.Calls);
        Assert.Contains("\"buzz\"", output.ToString());
    }

    /// <summary>Standard input that never has a line: reading waits until cancelled.</summary>
    private sealed class NeverEndingReader : TextReader
    {
        public override async ValueTask<string?> ReadLineAsync(CancellationToken ct)
        {
            await new TaskCompletionSource().Task.WaitAsync(ct);
            return null;
        }
    }

    [Fact]
    public async Task Every_event_published_is_written_as_one_json_line_in_order()
    {
        var (_, lines) = await RunAsync("", beforeRun: events =>
        {
            events.Publish(new BuzzEvent("bob"));
            events.Publish(new FriendRequestEvent("carol"));
        });
        Assert.Equal(["buzz", "friend_request"], lines.Select(l => l.GetProperty("event").GetString()));
        Assert.Equal("carol", lines[1].GetProperty("from").GetString());
    }
}
