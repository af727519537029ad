// IAM and RESUME: check the address throttle, the account's guessing delay, the password (admitted through the
// bounded hash queue; the same answer and cost for unknown users) or the device's ticket, and the ban; make the
// session the account's only one, send the sign-in burst and tell whoever should hear; and the mirror image, signing a
// session off.
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Accounts;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// Runs in the background of the session's read loop (<see cref="Session.RunInBackground"/>), so PINGs are answered
/// while the password hash waits for its turn. A full admission queue is answered STATUS 36 (value: milliseconds to
/// wait) and the connection stays open. RESUME never runs the password hash and is not counted by the address
/// throttle: a ticket is 256 random bits, not a guessable password.
/// </summary>
public sealed class SignInCommand(ServerContext ctx)
{
    private readonly SignInBurst _burst = new(ctx);
    private readonly TicketCommands _tickets = new(ctx);

    private readonly record struct PasswordCheck(bool Verified, PasswordHash? Rehash);

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
        var check = await ctx.HashQueue.RunAsync(() => Check(account, iam.Password), ct);
        if (!check.Ran)
        {
            await RetryLaterAsync(ctx, s, Opcode.Iam, check.RetryAfter, ct);
            return;
        }
        if (account is null || !check.Result.Verified)
        {
            ctx.Guesses.RecordFailure(iam.Username, s.Address);
            await s.ReplyAsync(StatusCode.WrongPassword, Opcode.Iam, ct, text: CredentialChecks.WrongCredentials);
            if (ctx.Logins.RecordFailure(s.Address, iam.Username) is { } block) CredentialChecks.CloseBlocked(s, Opcode.Iam, block);
            return;
        }
        if (IsBanned(s, account, Opcode.Iam)) return;
        if (!TakeSignedInSlot(s, Opcode.Iam)) return;
        ctx.Logins.RecordSuccess(s.Address, iam.Username);
        ctx.Guesses.RecordSuccess(iam.Username, s.Address);
        if (check.Result.Rehash is { } rehash) await ctx.Store.SetPasswordAsync(account.Tag, rehash, ct);
        await CompleteAsync(s, account, Opcode.Iam, ct);
    }

    /// <summary>RESUME: the device's ticket instead of the password (STATUS 38 when it is refused).</summary>
    public async Task ResumeAsync(Session s, Resume resume, CancellationToken ct)
    {
        if (s.State == SessionState.SignedIn)
        {
            await s.ReplyAsync(StatusCode.NotAllowed, Opcode.Resume, ct, text: "already signed in");
            return;
        }
        var (account, refusal) = await _tickets.RedeemAsync(resume, ct);
        if (account is null)
        {
            await s.ReplyAsync(StatusCode.TicketRefused, Opcode.Resume, ct, value: (uint)refusal, text: TicketCommands.Explain(refusal));
            return;
        }
        if (IsBanned(s, account, Opcode.Resume)) return;
        if (!TakeSignedInSlot(s, Opcode.Resume)) return;   // never counted by the guessing limits: no password involved
        await CompleteAsync(s, account, Opcode.Resume, ct);
    }

    /// <summary>STATUS 36 with the delay, at most the heartbeat interval, so that a client that waits it out without
    /// sending PING is never closed for silence meanwhile.</summary>
    public static ValueTask RetryLaterAsync(ServerContext ctx, Session s, Opcode re, TimeSpan after, CancellationToken ct)
    {
        ctx.Counters.RetryLaterSent();
        var cap = TimeSpan.FromSeconds(ctx.Options.HeartbeatIntervalSeconds);
        var ms = (uint)Math.Ceiling((after < cap ? after : cap).TotalMilliseconds);
        return s.ReplyAsync(StatusCode.RetryLater, re, ct, value: ms, text: $"the server is busy; try again in {ms} ms");
    }

    /// <summary>
    /// An unknown user costs the same hash as a known one (against a dummy made with the current hasher) and gets the
    /// same answer, so neither the code nor the time tells which usernames exist.
    /// </summary>
    private PasswordCheck Check(Account? account, string password)
    {
        var verified = PasswordHasher.Verify(password, account?.Password ?? ctx.DummyPassword);
        if (account is null || !verified) return new(false, null);
        return new(true, ctx.Hasher.NeedsRehash(account.Password) ? ctx.Hasher.Hash(password) : null);
    }

    /// <summary>Moves the session from an unauthenticated slot to a signed-in one; over the address's cap it is closed (STATUS 26).</summary>
    private bool TakeSignedInSlot(Session s, Opcode re)
    {
        if (ctx.Admission.SignIn(s.Id)) return true;
        s.CloseWith(StatusCode.TooManyConnections, re, $"at most {ctx.Options.MaxConnectionsPerAddress} signed-in connections per address");
        return false;
    }

    private bool IsBanned(Session s, Account account, Opcode re)
    {
        if (account.Ban is not { } ban || ban.Until <= ctx.Now) return false;
        s.CloseWith(StatusCode.Banned, re, ban.Reason ?? "this account is banned", value: Replies.Seconds(ban.Until - ctx.Now));
        return true;
    }

    /// <summary>The credentials are good: register the session, send the burst, tell the others.</summary>
    private async Task CompleteAsync(Session s, Account account, Opcode re, CancellationToken ct)
    {
        var user = new SignedInUser(new Tag(account.Tag), account.Username, account.Profile.Nickname, ctx.IsAdmin(account),
            Describe.Key(account), Presence.Online, "");
        var friends = await ctx.Store.ListFriendsAsync(account.Tag, ct);
        await ctx.Ignores.LoadAsync(account.Tag, ct);
        if (!s.SignedIn(user, friends.Select(f => f.Tag))) return;
        ctx.Sessions.Register(s)?.CloseWith(StatusCode.SignedInElsewhere, 0, "your account signed in elsewhere");
        try
        {
            await _burst.SendAsync(s, account, re, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Half signed in is no state to leave a client in: it is told why and may simply sign in again.
            ctx.Log.LogError(ex, "sign-in burst for {User} failed", account.Username);
            s.CloseWith(StatusCode.InternalError, re, "sign-in failed; try again");
            return;
        }
        finally
        {
            s.EndBurst();
        }
        ctx.Counters.SignedIn(re == Opcode.Resume, ctx.Time.GetElapsedTime(s.AcceptedAt));
        await ctx.Roster.AnnounceCardAsync(user, s, except: s, ct);
        ctx.Log.LogInformation("{User} signed in from {Address} (session {Id})", user.Username, s.Address, s.Id);
    }

    /// <summary>Called when a session ends: if it was its user's current session, whoever should hear sees them go offline.</summary>
    public async Task SignOffAsync(Session s)
    {
        if (!ctx.Sessions.Unregister(s)) return;
        var tag = s.UserTag;
        ctx.Log.LogInformation("{User} signed off (session {Id})", s.User?.Username, s.Id);
        ctx.Ignores.Forget(tag.Value);
        try { await ctx.Roster.AnnouncePresenceAsync(s, new PresenceUpdate(tag, Presence.Offline, ""), except: null, CancellationToken.None); }
        catch (ObjectDisposedException) { /* the server is stopping and the store is already closed */ }
        // The command rate limits are not forgotten: reconnecting must not reset them (docs/server.md).
        try { await ctx.Store.SetLastSeenAsync(tag.Value, ctx.Now, CancellationToken.None); }
        catch (ObjectDisposedException) { /* the server is stopping and the store is already closed */ }
    }
}
