// The server's STUN listener on real loopback UDP: answers padded requests, refuses and logs everything else.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PChat.Core.Nat.Stun;
using P2PChat.Rendezvous.Hosting;
using P2PChat.Rendezvous.Stun;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Stun;

public sealed class StunListenerTests
{
    [Fact]
    public async Task Answers_a_padded_binding_request_with_the_senders_address_and_no_more_bytes()
    {
        var log = new ListLogger();
        using var listener = StunListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), log, TimeProvider.System);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var request = new byte[StunWriter.PaddedRequestLength];
        var id = StunTransactionId.NewRandom();
        StunWriter.WriteBindingRequest(request, id);
        await client.SendAsync(request, listener.LocalEndPoint, TestContext.Current.CancellationToken);
        var reply = await client.ReceiveAsync(TestContext.Current.CancellationToken);
        Assert.True(reply.Buffer.Length <= request.Length);
        Assert.True(StunParser.TryParse(reply.Buffer, out var m, out var error), error);
        Assert.Equal(id, m.TransactionId);
        Assert.Equal(client.Client.LocalEndPoint, m.XorMappedAddress);
        Assert.Equal(1, listener.Answered);
    }

    [Fact]
    public async Task Refuses_bare_and_malformed_datagrams_with_a_log_line_and_keeps_answering()
    {
        var log = new ListLogger();
        using var listener = StunListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), log, TimeProvider.System);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var ct = TestContext.Current.CancellationToken;
        await client.SendAsync(Convert.FromHexString("000100002112a442000102030405060708090a0b"), listener.LocalEndPoint, ct); // 20 bytes
        await client.SendAsync(new byte[] { 1, 2, 3 }, listener.LocalEndPoint, ct);
        var request = new byte[StunWriter.PaddedRequestLength];
        StunWriter.WriteBindingRequest(request, StunTransactionId.NewRandom());
        await client.SendAsync(request, listener.LocalEndPoint, ct);
        var reply = await client.ReceiveAsync(ct);   // datagrams on loopback stay in order: the first two were refused
        Assert.True(StunParser.TryParse(reply.Buffer, out _, out _));
        Assert.Equal(2, listener.Refused);
        Assert.Contains(log.Lines, l => l.Contains("smaller than the"));
        Assert.Contains(log.Lines, l => l.Contains("truncated: 3 bytes"));
    }

    [Theory]
    [InlineData("auto", "127.0.0.1:7000", "127.0.0.1:7000,127.0.0.1:7001")]
    [InlineData("", "127.0.0.1:7000", "127.0.0.1:7000,127.0.0.1:7001")]
    [InlineData("off", "127.0.0.1:7000", "")]
    [InlineData("0.0.0.0:3478, [::1]:3479", "127.0.0.1:7000", "0.0.0.0:3478,[::1]:3479")]
    public void The_stun_option_names_the_udp_endpoints(string option, string tcp, string expected) =>
        Assert.Equal(expected, string.Join(',', StunEndpoints.Resolve(option, IPEndPoint.Parse(tcp)).Select(e => e.ToString())));

    [Fact]
    public void A_bad_stun_option_is_a_format_error() =>
        Assert.Throws<FormatException>(() => StunEndpoints.Resolve("nowhere", IPEndPoint.Parse("127.0.0.1:1")));

    [Fact]
    public void The_stun_switch_maps_to_the_option() =>
        Assert.Equal("Rendezvous:Stun", CommandLineSwitches.Map["--stun"]);

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
