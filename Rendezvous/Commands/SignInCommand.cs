// IAM: checks the address throttle, the account's guessing delay, the password (same answer and cost for unknown users) and the ban, makes the session the account's only one,
// sends the sign-in burst and tells everyone; and the mirror image, signing a session off.
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

public sealed class SignInCommand(ServerContext ctx)
{
    private readonly SignInBurst _burst = new(ctx);

    public async Task HandleAsync(Session s, Iam iam, CancellationToken ct)
    {
        if (s.State == SessionState.SignedIn)
        {
            await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Iam, ct, text: "already signed in");
            return;
        }
        if (!await CredentialChecks.AdmitAsync(ctx, s, Opcode.Iam, iam.Username, iam.Password, ct)) return;
        if (ctx.Guesses.WaitFor(iam.Username, s.Address) is { } wait)
        {
            // Not checked and not counted: the account's guessing delay runs (never for addresses its owner uses).
            await s.ReplyAsync(StatusCode.SignInDelayed, Opcode.Iam, ct, value: Replies.Seconds(wait),
                text: $"too many wrong passwords for this account; try again in {Replies.Seconds(wait)} s");
            return;
        }

        var account = await ctx.Store.FindAccountByUsernameAsync(iam.Username, ct);
        // An unknown user costs the same hash as a known one (against a dummy made with the current hasher) and gets
        // the same answer, so neither the code nor the time tells which usernames exist.
        var verified = PasswordHasher.Verify(iam.Password, account?.Password ?? ctx.DummyPassword);
        if (account is null || !verified)
        {
            ctx.Guesses.RecordFailure(iam.Username, s.Address);
            await s.ReplyAsync(StatusCode.WrongPassword, Opcode.Iam, ct, text: CredentialChecks.WrongCredentials);
            if (ctx.Logins.RecordFailure(s.Address, iam.Username) is { } block) CredentialChecks.CloseBlocked(s, Opcode.Iam, block);
            return;
        }
        if (account.Ban is { } ban && ban.Until > ctx.Now)
        {
            s.CloseWith(StatusCode.Banned, Opcode.Iam, ban.Reason ?? "this account is banned", value: Replies.Seconds(ban.Until - ctx.Now));
            return;
        }
        if (!ctx.Admission.SignIn(s.Id))
        {
            s.CloseWith(StatusCode.TooManyConnections, Opcode.Iam, $"at most {ctx.Options.MaxConnectionsPerAddress} signed-in connections per address");
            return;
        }
        ctx.Logins.RecordSuccess(s.Address, iam.Username);
        ctx.Guesses.RecordSuccess(iam.Username, s.Address);
        if (ctx.Hasher.NeedsRehash(account.Password))
            await ctx.Store.SetPasswordAsync(account.Tag, ctx.Hasher.Hash(iam.Password), ct);

        var user = new SignedInUser(new Tag(account.Tag), account.Username, account.Profile.Nickname, ctx.IsAdmin(account),
            Describe.Key(account), Presence.Online, "");
        var friends = await ctx.Store.ListFriendsAsync(account.Tag, ct);
        if (!s.SignedIn(user, friends.Select(f => f.Tag))) return;
        ctx.Hub.Register(s)?.CloseWith(StatusCode.SignedInElsewhere, 0, "your account signed in elsewhere");
        try
        {
            await _burst.SendAsync(s, account, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Half signed in is no state to leave a client in: it is told why and may simply sign in again.
            ctx.Log.LogError(ex, "sign-in burst for {User} failed", account.Username);
            s.CloseWith(StatusCode.InternalError, Opcode.Iam, "sign-in failed; try again");
            return;
        }
        finally
        {
            s.EndBurst();
        }
        ctx.Hub.Broadcast(r => Describe.User(user, r), except: s);
        ctx.Log.LogInformation("{User} signed in from {Address} (session {Id})", user.Username, s.Address, s.Id);
    }

    /// <summary>Called when a session ends: if it was its user's current session, everyone sees them go offline.</summary>
    public async Task SignOffAsync(Session s)
    {
        if (!ctx.Hub.Unregister(s)) return;
        var tag = s.UserTag;
        ctx.Log.LogInformation("{User} signed off (session {Id})", s.User?.Username, s.Id);
        ctx.Hub.Broadcast(_ => new PresenceUpdate(tag, Presence.Offline, ""));
        try { await ctx.Store.SetLastSeenAsync(tag.Value, ctx.Now, CancellationToken.None); }
        catch (ObjectDisposedException) { /* the server is stopping and the store is already closed */ }
    }
}
