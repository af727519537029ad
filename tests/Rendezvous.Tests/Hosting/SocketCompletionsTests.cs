// The server's socket-completion mode: inline on the event threads unless the operator's environment says otherwise, and PMs flow either way.
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Hosting;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Hosting;

public sealed class SocketCompletionsTests
{
    [Theory]
    [InlineData(null, "1")]
    [InlineData("", "1")]
    [InlineData("0", null)]
    [InlineData("1", null)]
    [InlineData("true", null)]
    public void The_default_is_inline_and_an_operator_value_is_left_alone(string? operatorValue, string? set) =>
        Assert.Equal(set, SocketCompletions.ValueToSet(operatorValue));

    [Theory]
    [InlineData(null, true, 2, "4")]
    [InlineData("", true, 8, "16")]
    [InlineData("3", true, 2, null)]      // the operator's count stands
    [InlineData(null, false, 2, null)]    // the pool: .NET's own count
    public void Inline_gets_two_event_threads_per_core_unless_the_operator_names_a_count(string? operatorValue, bool inline, int processors, string? set) =>
        Assert.Equal(set, SocketCompletions.ThreadCountToSet(operatorValue, inline, processors));

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("true", false)]   // .NET takes exactly "1"
    [InlineData(null, false)]
    public void Inline_only_when_the_value_is_exactly_1(string? value, bool inline) =>
        Assert.Equal(inline, SocketCompletions.IsInline(value));

    [Theory]
    [InlineData(null, true)]
    [InlineData("0", false)]
    public async Task The_real_server_says_which_mode_it_runs_and_delivers_pipelined_pms_in_it(string? operatorValue, bool inline)
    {
        Require.That(OperatingSystem.IsLinux(), "socket event threads as on Linux");
        using var data = new TempDirectory("p2pchat-completions");
        await using var server = await RendezvousProcess.StartAsync(data.Path,
            new Dictionary<string, string?> { [SocketCompletions.Variable] = operatorValue, [SocketCompletions.ThreadCountVariable] = null },
            "--Rendezvous:MaxCommandsPerWindow", "100000");
        Assert.Contains(inline
            ? $"{SocketCompletions.Variable}=1, {SocketCompletions.ThreadCountVariable}={SocketCompletions.EventThreadsPerCore * Environment.ProcessorCount})"
            : SocketCompletions.Describe(false), server.Output);

        await using var alice = await TestClient.ConnectAsync(server.Endpoint, server.Fingerprint);
        await using var bob = await TestClient.ConnectAsync(server.Endpoint, server.Fingerprint);
        var bobTag = await bob.RegisterAndSignInAsync("bob");
        await alice.RegisterAndSignInAsync("alice");
        const int Count = 200;
        // Pipelined: every MSG written in one go before any MSG_ACK is read, so the server reads many per TLS record.
        await alice.SendTogetherAsync([.. Enumerable.Range(0, Count).Select(i =>
            new MsgSend(bobTag, System.Text.Encoding.UTF8.GetBytes($"pm {i}"), (uint)(i + 1), 0))]);
        var acks = new List<MsgAck>();
        for (var i = 0; i < Count; i++) acks.Add(await alice.ExpectAsync<MsgAck>());
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (uint)i), acks.Select(a => a.RequestId));
        var received = new List<string>();
        for (var i = 0; i < Count; i++) received.Add(TestClient.Text(await bob.ExpectAsync<MsgDeliver>()));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"pm {i}"), received);
    }
}
