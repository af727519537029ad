// Cheap reconnects: a device-bound resumption ticket asked for after a password sign-in and used by the reconnect path,
// and waiting out a busy server (STATUS 36) instead of failing.
using System.Security.Cryptography;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

/// <summary>
/// With <see cref="ServerConnectionOptions.ResumptionTickets"/>, every password sign-in is followed by TICKET (this
/// client's random 16-byte device id); the server's TICKET answer is kept in memory with the credentials (never
/// written). An automatic reconnect then sends RESUME first: the server signs us in without hashing the password. A
/// refused ticket (STATUS 38: expired, revoked, unknown after a database reset) is dropped and the reconnect signs in
/// with the password, which asks for a new ticket. The user's own /login always uses the password.
/// </summary>
public sealed partial class ServerConnection
{
    private readonly byte[] _deviceId = RandomNumberGenerator.GetBytes(TicketRequest.DeviceIdSize);
    private (string User, byte[] Ticket)? _ticket;

    private void OnTicket(TicketIssued issued)
    {
        lock (_reconnectGate) _ticket = (_session.Username, issued.Ticket);
    }

    private async Task AskForTicketAsync(string username, CancellationToken ct)
    {
        if (!_options.ResumptionTickets) return;
        lock (_reconnectGate) if (_ticket?.User == username) return;
        await SendAsync(new TicketRequest(_deviceId, _options.ClientName), ct).ConfigureAwait(false);
    }

    /// <summary>RESUME with the ticket held for <paramref name="username"/>; null when there is none or it was refused
    /// (the connection is then open and anonymous: sign in with the password).</summary>
    private async Task<Frame?> ResumeCoreAsync(string username, string password, CancellationToken ct)
    {
        byte[]? ticket;
        lock (_reconnectGate) ticket = _ticket is { } t && t.User == username ? t.Ticket : null;
        if (ticket is null || !_options.ResumptionTickets) return null;
        await ConnectCoreAsync(ct).ConfigureAwait(false);
        _session.Username = username;
        _hooks.SigningIn(username, password);
        var reply = await UntilAdmittedAsync(async () =>
        {
            var request = _pending.Add(Opcode.Resume, "login", username, wantsReply: true, silent: true);
            await SendAsync(new Resume(_deviceId, ticket), ct).ConfigureAwait(false);
            return await AwaitAnswerAsync(request, SignInTimeout, "RESUME", ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        if (reply is not Status { Code: StatusCode.TicketRefused }) return reply;
        lock (_reconnectGate) _ticket = null;
        return null;
    }

    /// <summary>Sends a sign-in or registration again, after the delay the server asks for, while it answers STATUS 36.</summary>
    private async Task<Frame?> UntilAdmittedAsync(Func<Task<Frame?>> attempt, CancellationToken ct)
    {
        while (true)
        {
            var reply = await attempt().ConfigureAwait(false);
            if (reply is not Status { Code: StatusCode.RetryLater } busy) return reply;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(busy.Value, 100)), _options.Time, ct).ConfigureAwait(false);
        }
    }
}
