// Asks STUN servers "how do you see me?" over a shared socket: Binding requests, retransmission, answer checking.
using System.Collections.Concurrent;
using System.Net;

namespace P2PChat.Core.Nat.Stun;

/// <summary>What one STUN server said: the reflexive address, or why there is none.</summary>
public sealed record StunBindingResult(IPEndPoint Server, IPEndPoint? Reflexive, string? Error)
{
    public bool Succeeded => Reflexive is not null;
}

/// <summary>
/// Sends padded Binding requests (<see cref="StunWriter.WriteBindingRequest"/>) through a
/// <see cref="StunDemultiplexer"/> and matches answers by transaction id. An answer is refused, with a log line, if
/// it is malformed, names no pending transaction, comes from an address other than the server asked (someone else
/// claiming to be it), carries unknown comprehension-required attributes, or has no mapped address. An ERROR answer
/// ends the exchange with its code. Unanswered requests are re-sent on <see cref="RetransmitSchedule.Stun"/>.
/// </summary>
public sealed class StunClient : IStunDatagramHandler
{
    private readonly StunDemultiplexer _socket;
    private readonly TimeProvider _time;
    private readonly RetransmitSchedule _schedule;
    private readonly NatLog? _log;
    private readonly ConcurrentDictionary<StunTransactionId, Pending> _pending = new();

    public StunClient(StunDemultiplexer socket, TimeProvider? time = null, RetransmitSchedule? schedule = null, NatLog? log = null)
    {
        _socket = socket;
        _time = time ?? TimeProvider.System;
        _schedule = schedule ?? RetransmitSchedule.Stun;
        _log = log;
        socket.StunHandler = this;
    }

    /// <summary>Runs one Binding exchange; never throws for network trouble (the result says what went wrong).</summary>
    public Task<StunBindingResult> BindAsync(IPEndPoint server, CancellationToken ct = default)
    {
        var id = StunTransactionId.NewRandom();
        var request = new byte[StunWriter.PaddedRequestLength];
        StunWriter.WriteBindingRequest(request, id);
        var exchange = new RetransmittingRequest<StunBindingResult>(_time, _schedule, () => _socket.Send(request, server), ct);
        _pending[id] = new Pending(server, exchange);
        exchange.Start();
        return Finish(id, server, exchange.Result);
    }

    private async Task<StunBindingResult> Finish(StunTransactionId id, IPEndPoint server, Task<StunBindingResult?> result)
    {
        try
        {
            return await result.ConfigureAwait(false)
                ?? new StunBindingResult(server, null, $"no answer after {_schedule.Attempts} tries ({_schedule.Total.TotalSeconds:0.##} s)");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public void OnStunDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        if (!StunParser.TryParse(datagram, out var message, out var error))
        {
            _log.Write($"stun: refused a datagram from {remote}: {error}");
            return;
        }
        if (message.Type is StunMessageType.BindingRequest or StunMessageType.BindingIndication) return; // not for a client
        if (!_pending.TryGetValue(message.TransactionId, out var pending))
        {
            _log.Write($"stun: refused an answer from {remote}: unknown transaction id {message.TransactionId}");
            return;
        }
        if (!SameEndPoint(pending.Server, remote))
        {
            _log.Write($"stun: refused an answer from {remote} for a request sent to {pending.Server}");
            return;
        }
        if (message.UnknownRequired.Count > 0)
        {
            _log.Write($"stun: refused an answer from {remote}: unknown comprehension-required attribute 0x{message.UnknownRequired[0]:x4}");
            return;
        }
        if (message.Type == StunMessageType.BindingError)
        {
            pending.Exchange.TryComplete(new StunBindingResult(pending.Server, null, $"error {message.ErrorCode} {message.ErrorReason}".TrimEnd()));
            return;
        }
        if (message.Reflexive is not { } reflexive)
        {
            _log.Write($"stun: refused an answer from {remote}: no (XOR-)MAPPED-ADDRESS");
            return;
        }
        pending.Exchange.TryComplete(new StunBindingResult(pending.Server, reflexive, null));
    }

    internal static bool SameEndPoint(IPEndPoint a, IPEndPoint b) => a.Port == b.Port && Normalize(a.Address).Equals(Normalize(b.Address));

    internal static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private sealed record Pending(IPEndPoint Server, RetransmittingRequest<StunBindingResult> Exchange);
}
