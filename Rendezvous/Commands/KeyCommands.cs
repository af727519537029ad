// PREKEYS, BUNDLE and IDENTITY: the end-to-end key directory. Keys are opaque, size-limited blobs to the server.
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Validation;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// The server never parses a key: it checks sizes, stores blobs and hands them out. Whoever fetches a bundle gets
/// the owner's identity, signed prekey and at most one one-time prekey, which is deleted in the same transaction
/// (to users who are not the owner's friends, only within <see cref="Flood.PrekeyHandoutLimiter"/>'s hourly budgets).
/// Its owner, if online, then gets PREKEYS_LOW when fewer than <see cref="LowThreshold"/> remain.
/// </summary>
public sealed class KeyCommands(ServerContext ctx)
{
    /// <summary>Below this many one-time prekeys the owner is told to upload more (at sign-in and after fetches).</summary>
    public const int LowThreshold = 10;
    /// <summary>The most one-time prekeys the server keeps for one user.</summary>
    public const int MaxOneTimePrekeys = 200;
    /// <summary>The largest prekey blob (the peer's are 133 and 69 bytes).</summary>
    public const int MaxPrekeyBytes = 512;

    /// <summary>PREKEYS → STATUS 18 (value: one-time prekeys held) | 28 (a blob too large, too many held, or no identity yet).</summary>
    public async Task PublishAsync(Session s, Prekeys p, CancellationToken ct)
    {
        var me = s.UserTag.Value;
        var held = await ctx.Store.CountOneTimePrekeysAsync(me, ct);
        var problem = p.SignedPrekey.Length > MaxPrekeyBytes || p.OneTimePrekeys.Any(k => k.Length is 0 or > MaxPrekeyBytes)
                ? $"prekeys: at most {MaxPrekeyBytes} bytes each"
            : held + p.OneTimePrekeys.Count > MaxOneTimePrekeys ? $"prekeys: at most {MaxOneTimePrekeys} one-time prekeys are kept; {held} held"
            : s.User!.IdentityKey.Length == 0 ? "prekeys: publish an identity key first (IDENTITY)"
            : null;
        if (problem is not null)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Prekeys, ct, value: (uint)held, text: problem);
            return;
        }
        if (p.SignedPrekey.Length > 0) await ctx.Store.SetSignedPrekeyAsync(me, p.SignedPrekey, ct);
        if (p.OneTimePrekeys.Count > 0)
            held = await ctx.Store.AddOneTimePrekeysAsync(me, [.. p.OneTimePrekeys.Select(k => (ReadOnlyMemory<byte>)k)], ct);
        await s.ReplyAsync(StatusCode.Ok, Opcode.Prekeys, ct, value: (uint)held, text: $"{held} one-time prekeys held");
    }

    /// <summary>BUNDLE → BUNDLE | STATUS 3 (no such user, or the user has published no identity or signed prekey).</summary>
    public async Task FetchAsync(Session s, BundleRequest b, CancellationToken ct)
    {
        var owner = b.User.Value;
        var account = b.User.IsUser ? await ctx.Store.FindAccountByTagAsync(owner, ct) : null;
        var identity = ctx.Sessions.Find(owner)?.User?.IdentityKey ?? (account is null ? [] : Describe.Key(account));
        var signed = account is null ? null : await ctx.Store.GetSignedPrekeyAsync(owner, ct);
        if (account is null || identity.Length == 0 || signed is not { } signedPrekey)
        {
            await s.ReplyAsync(StatusCode.UnknownUser, Opcode.Bundle, ct, subject: b.User, value: 3,
                text: account is null ? "no such user" : "that user has published no keys");
            return;
        }
        // Friends always get a one-time prekey while any is left; anyone else only within the hourly budgets per target
        // and per requester, else the bundle has the signed prekey alone (the last resort), so strangers cannot drain them.
        var me = s.UserTag.Value;
        var mayTake = owner == me || s.IsFriend(owner) || ctx.PrekeyHandouts.TryTake(me, owner);
        var oneTime = mayTake ? await ctx.Store.TakeOneTimePrekeyAsync(owner, ct) : null;
        await s.SendAsync(new Bundle(b.User, identity, signedPrekey.ToArray(), oneTime?.ToArray() ?? []), ct);
        if (oneTime is not null && ctx.Sessions.Find(owner) is { } ownerSession)
            await WarnIfLowAsync(ownerSession, ct);
    }

    /// <summary>IDENTITY → STATUS 18, old prekeys dropped, every online user (the sender included) gets ADD with the new key | 28.</summary>
    public async Task ChangeIdentityAsync(Session s, IdentityChange change, CancellationToken ct)
    {
        if (change.IdentityKey.Length is 0 or > FieldRules.MaxIdentityKey)
        {
            await s.ReplyAsync(StatusCode.InvalidField, Opcode.Identity, ct, text: $"identity key: 1-{FieldRules.MaxIdentityKey} bytes");
            return;
        }
        var me = s.UserTag.Value;
        await ctx.Store.SetIdentityKeyAsync(me, change.IdentityKey, ct);
        // Prekeys signed by the old identity could only start sessions that fail: drop them.
        while (await ctx.Store.TakeOneTimePrekeyAsync(me, ct) is not null) { }
        var user = s.UpdateUser(u => u with { IdentityKey = change.IdentityKey });
        ctx.Log.LogInformation("{User} published a new identity key", user.Username);
        await s.ReplyAsync(StatusCode.Ok, Opcode.Identity, ct, text: "identity key replaced");
        await s.SendAsync(Describe.User(user, s), ct);
        await ctx.Roster.AnnounceCardAsync(user, s, except: s, ct);
    }

    /// <summary>PREKEYS_LOW to <paramref name="s"/> when it holds fewer than <see cref="LowThreshold"/> one-time prekeys.</summary>
    public async Task WarnIfLowAsync(Session s, CancellationToken ct)
    {
        if (s.User is not { IdentityKey.Length: > 0 }) return;
        var held = await ctx.Store.CountOneTimePrekeysAsync(s.UserTag.Value, ct);
        if (held < LowThreshold) await s.SendAsync(new PrekeysLow((uint)held), ct);
    }
}
