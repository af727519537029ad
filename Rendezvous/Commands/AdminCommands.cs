// KICK off the server and BAN: what admins (the first account and those named in the Admins setting) may do.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

public sealed class AdminCommands(ServerContext ctx)
{
    /// <summary>KICK with channel 0 → the user gets STATUS 16 (subject: the admin) and is disconnected; the admin
    /// gets STATUS 18, or STATUS 3 (value 3) when the user is not online.</summary>
    public async Task KickAsync(Session s, Kick k, CancellationToken ct)
    {
        if (!await RequireAdminAsync(s, Opcode.Kick, k.User, ct)) return;
        if (ctx.Sessions.Find(k.User.Value) is not { } target)
        {
            await s.ReplyAsync(StatusCode.UnknownUser, Opcode.Kick, ct, k.User, 3, "that user is not online");
            return;
        }
        target.CloseWith(StatusCode.Kicked, 0, $"kicked by {s.User!.Nickname}", s.UserTag);
        await s.OkAsync(Opcode.Kick, ct, k.User);
    }

    /// <summary>BAN user minutes → no sign-in until then (an online user is disconnected with STATUS 23);
    /// 0 minutes lifts the ban. STATUS 18 to the admin.</summary>
    public async Task BanAsync(Session s, Ban b, CancellationToken ct)
    {
        if (!await RequireAdminAsync(s, Opcode.Ban, b.User, ct)) return;
        if (!b.User.IsUser || await ctx.Store.FindAccountByTagAsync(b.User.Value, ct) is null)
        {
            await s.ReplyAsync(StatusCode.UnknownUser, Opcode.Ban, ct, b.User, 1, "no such user");
            return;
        }
        if (b.Minutes == 0)
        {
            await ctx.Store.SetBanAsync(b.User.Value, null, ct);
        }
        else
        {
            var length = TimeSpan.FromMinutes(b.Minutes);
            await ctx.Store.SetBanAsync(b.User.Value, new AccountBan(ctx.Now + length, $"banned by {s.User!.Username}"), ct);
            ctx.Sessions.Find(b.User.Value)?.CloseWith(StatusCode.Banned, 0, "you are banned", s.UserTag, Replies.Seconds(length));
        }
        await s.OkAsync(Opcode.Ban, ct, b.User);
    }

    private static async Task<bool> RequireAdminAsync(Session s, Opcode re, Tag target, CancellationToken ct)
    {
        if (s.User?.IsAdmin == true) return true;
        await s.ReplyAsync(StatusCode.NotAllowed, re, ct, target, text: "admins only");
        return false;
    }
}
