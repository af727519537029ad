// REGISTER, NICK and PRESENCE: creating an account and changing how one appears to others.
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Core.Unicode;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Validation;

namespace P2PChat.Rendezvous.Commands;

public sealed class AccountCommands(ServerContext ctx)
{
    /// <summary>REGISTER → STATUS 6 | 5 | 0 | 28 | 43 (too many sign-ups) (| 24 when the address is blocked; 36 when the hash queue is full). Does not sign in.</summary>
    public async Task RegisterAsync(Session s, Register r, CancellationToken ct)
    {
        if (!await CredentialChecks.AdmitAsync(ctx, s, Opcode.Register, r.Username, r.Password, ct)) return;
        var nickname = r.Nickname.Length == 0 ? r.Username : r.Nickname;
        var birthProblem = FieldRules.BirthDate(r.BirthDate, DateOnly.FromDateTime(ctx.Now.UtcDateTime), out var birth);
        var problem = FieldRules.Username(r.Username) ?? FieldRules.Password(r.Password) ?? FieldRules.Nickname(nickname)
            ?? FieldRules.Email(r.Email) ?? birthProblem
            ?? FieldRules.ProfileText("full name", r.FullName) ?? FieldRules.ProfileText("gender", r.Gender)
            ?? FieldRules.ProfileText("location", r.Location)
            ?? (r.IdentityKey?.Length > FieldRules.MaxIdentityKey ? $"identity key: at most {FieldRules.MaxIdentityKey} bytes" : null);
        if (problem is null && !UnicodePolicy.LooksLike(nickname, r.Username)
            && await ctx.Store.FindLookAlikeUsernameAsync(nickname, 0, ct) is { } other)
            problem = LooksLike(other);
        if (problem is not null)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Register, ct, text: problem);
            return;
        }
        if (ctx.SignUps.TryAcquire(s.Address) is { } wait)
        {
            // Refused before hashing: a flood of sign-ups must not slow everyone's sign-in.
            await s.ReplyAsync(StatusCode.SignUpsThrottled, Opcode.Register, ct, value: Replies.Seconds(wait),
                text: $"too many new accounts; try again in {Replies.Seconds(wait)} s");
            return;
        }
        var profile = new AccountProfile(nickname, NullIfEmpty(r.Email), NullIfEmpty(r.FullName), birth, NullIfEmpty(r.Gender), NullIfEmpty(r.Location));
        // The hash waits for a slot like a sign-in's: a burst of registrations cannot starve everyone else of CPU.
        var hashed = await ctx.HashQueue.RunAsync(() => ctx.Hasher.Hash(r.Password), ct);
        if (!hashed.Ran)
        {
            await SignInCommand.RetryLaterAsync(ctx, s, Opcode.Register, hashed.RetryAfter, ct);
            return;
        }
        var hash = hashed.Result;
        var result = await ctx.Store.RegisterAccountAsync(new NewAccount(r.Username, hash, profile), ct);
        if (result.Outcome == RegistrationOutcome.UsernameTaken || result.Account is null)
        {
            await s.ReplyAsync(StatusCode.UsernameExists, Opcode.Register, ct, text: "username taken");
            return;
        }
        if (r.IdentityKey is { Length: > 0 } key) await ctx.Store.SetIdentityKeyAsync(result.Account.Tag, key, ct);
        ctx.Log.LogInformation("registered {User} as {Tag} from {Address}", r.Username, new Tag(result.Account.Tag), s.Address);
        await s.ReplyAsync(StatusCode.Registered, Opcode.Register, ct, subject: new Tag(result.Account.Tag), text: "registered");
    }

    /// <summary>NICK → everyone (the sender included) gets ADD with the new nickname; STATUS 28 if invalid.</summary>
    public async Task NickAsync(Session s, Nick n, CancellationToken ct)
    {
        var problem = FieldRules.Nickname(n.Nickname);
        // A nickname may look like one's own username, never like someone else's (UTS #39 skeletons, ignoring case).
        if (problem is null && await ctx.Store.FindLookAlikeUsernameAsync(n.Nickname, s.UserTag.Value, ct) is { } other)
            problem = LooksLike(other);
        if (problem is not null)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Nick, ct, text: problem);
            return;
        }
        var account = await ctx.Store.FindAccountByTagAsync(s.UserTag.Value, ct);
        if (account is null) return;
        await ctx.Store.UpdateProfileAsync(account.Tag, account.Profile with { Nickname = n.Nickname }, ct);
        var user = s.UpdateUser(u => u with { Nickname = n.Nickname });
        await s.SendAsync(Describe.User(user, s), ct);
        await ctx.Roster.AnnounceCardAsync(user, s, except: s, ct);
    }

    /// <summary>PRESENCE online/away → everyone (the sender included) gets PRESENCE.</summary>
    public async Task PresenceAsync(Session s, SetPresence p, CancellationToken ct)
    {
        if (p.Presence is not (Presence.Online or Presence.Away))
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Presence, ct, text: "presence: 1 online or 2 away");
            return;
        }
        if (FieldRules.AwayText(p.Text) is { } problem)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Presence, ct, text: problem);
            return;
        }
        var text = p.Text;
        var user = s.UpdateUser(u => u with { Presence = p.Presence, AwayText = text });
        var update = new PresenceUpdate(user.Tag, user.Presence, text);
        await s.SendAsync(update, ct);
        await ctx.Roster.AnnouncePresenceAsync(s, update, except: s, ct);
    }

    private static string LooksLike(string username) => $"nickname: looks like the username {username} of another user";

    private static string? NullIfEmpty(string v) => v.Length == 0 ? null : v;
}
