// A request/answer exchange with the gateway on UDP 5351 (NAT-PMP and PCP): own socket, retransmission, source check.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// Sends a request to the gateway's port 5351 from a fresh socket (made by the injected factory) and completes with
/// the first datagram that <paramref name="accept"/> takes. A datagram from any other address than the gateway's
/// 5351 is refused with a log line (a host on the LAN claiming to be the router); so is one the validator refuses.
/// </summary>
internal sealed class RouterExchange : IDatagramReceiver
{
    public const int Port = 5351;
    private readonly IPEndPoint _gateway;
    private readonly Func<byte[], string?> _validate;
    private readonly NatLog? _log;
    private readonly string _protocol;
    private RetransmittingRequest<byte[]>? _request;

    private RouterExchange(IPEndPoint gateway, Func<byte[], string?> validate, NatLog? log, string protocol)
    {
        _gateway = gateway;
        _validate = validate;
        _log = log;
        _protocol = protocol;
    }

    /// <param name="validate">returns null to accept an answer, else why it is refused.</param>
    /// <returns>the accepted answer, or null when every attempt went unanswered.</returns>
    public static async Task<byte[]?> RunAsync(Func<IDatagramSocket> socketFactory, IPAddress gateway, byte[] request,
        Func<byte[], string?> validate, TimeProvider time, RetransmitSchedule schedule, NatLog? log, string protocol, CancellationToken ct)
    {
        var exchange = new RouterExchange(new IPEndPoint(gateway, Port), validate, log, protocol);
        using var socket = socketFactory();
        exchange._request = new RetransmittingRequest<byte[]>(time, schedule, () => socket.Send(request, exchange._gateway), ct);
        socket.Start(exchange);
        exchange._request.Start();
        return await exchange._request.Result.ConfigureAwait(false);
    }

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        if (remote is not IPEndPoint source || !Stun.StunClient.SameEndPoint(source, _gateway))
        {
            _log.Write($"{_protocol}: refused an answer from {remote}: the gateway is {_gateway}");
            return;
        }
        var copy = datagram.ToArray();
        if (_validate(copy) is { } why)
        {
            _log.Write($"{_protocol}: refused an answer from {remote}: {why}");
            return;
        }
        _request?.TryComplete(copy);
    }

    public void OnBatchEnd() { }
}
