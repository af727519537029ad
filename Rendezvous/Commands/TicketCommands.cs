// TICKET, RESUME's ticket check and REVOKE: device-bound resumption tickets, issued after a sign-in, revocable by the user.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// One ticket per (account, device): asking again replaces it. It expires <c>TicketLifetimeDays</c> after it was
/// issued (server clock); expired tickets are deleted whenever one is issued. REVOKE deletes the device's ticket or
/// every ticket of the account.
/// </summary>
public sealed class TicketCommands(ServerContext ctx)
{
    /// <summary>TICKET (signed in) → TICKET with the ticket and its expiry | STATUS 28 (device id not 16 bytes, name too long).</summary>
    public async Task IssueAsync(Session s, TicketRequest r, CancellationToken ct)
    {
        if (r.DeviceId.Length != TicketRequest.DeviceIdSize || r.DeviceName.Length > 64)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Ticket, ct, text: $"device id: {TicketRequest.DeviceIdSize} bytes; name: at most 64 characters");
            return;
        }
        var now = ctx.Now;
        var (ticket, record) = ResumptionTicketCodec.Issue(s.UserTag.Value, r.DeviceId, r.DeviceName, now, TimeSpan.FromDays(ctx.Options.TicketLifetimeDays));
        if (!await ctx.Store.IssueTicketAsync(record, now, ct)) return;
        await s.SendAsync(new TicketIssued(ticket, record.ExpiresAt.ToUnixTimeMilliseconds()), ct);
    }

    /// <summary>REVOKE → STATUS 18 (value: tickets deleted) | 28.</summary>
    public async Task RevokeAsync(Session s, Revoke r, CancellationToken ct)
    {
        byte[]? device = r.Scope switch
        {
            RevokeScope.Device when r.DeviceId.Length == TicketRequest.DeviceIdSize => r.DeviceId,
            RevokeScope.All => null,
            _ => [],
        };
        if (device is { Length: 0 })
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Revoke, ct, text: "scope 1 with a 16-byte device id, or scope 2");
            return;
        }
        var revoked = await ctx.Store.RevokeTicketsAsync(s.UserTag.Value, device, ct);
        await s.ReplyAsync(StatusCode.Ok, Opcode.Revoke, ct, value: (uint)revoked, text: $"{revoked} tickets revoked");
    }

    /// <summary>The account a RESUME signs in to, or why not.</summary>
    public async Task<(Account? Account, TicketRefusal Refusal)> RedeemAsync(Resume r, CancellationToken ct)
    {
        if (ResumptionTicketCodec.IdOf(r.Ticket) is not { } id) return (null, TicketRefusal.Unknown);
        var stored = await ctx.Store.FindTicketAsync(id, ct);
        var refusal = ResumptionTicketCodec.Check(stored, r.Ticket, r.DeviceId, ctx.Now);
        if (refusal != TicketRefusal.None) return (null, refusal);
        var account = await ctx.Store.FindAccountByTagAsync(stored!.UserTag, ct);
        return account is null ? (null, TicketRefusal.Unknown) : (account, TicketRefusal.None);
    }

    public static string Explain(TicketRefusal refusal) => refusal switch
    {
        TicketRefusal.Expired => "the ticket expired; sign in with the password",
        TicketRefusal.WrongDevice => "the ticket belongs to another device; sign in with the password",
        _ => "unknown or revoked ticket; sign in with the password",
    };
}
