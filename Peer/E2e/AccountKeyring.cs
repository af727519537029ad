// Keys and prekeys: the identity made at registration, keys opened at sign-in, prekeys published and refilled.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Lifecycle: <see cref="PrepareRegistration"/> at /register (the identity is made here and only its public half leaves);
/// <see cref="OpenForSignIn"/> before IAM (so offline messages in the sign-in burst can be decrypted);
/// <see cref="AfterSignIn"/> once signed in (publish a new identity if the profile had none, upload prekeys).
/// Without a profile folder it is disabled (plaintext PMs, the pre-E2E behaviour kept for tests of other layers).
/// </summary>
public sealed class AccountKeyring(E2eState state)
{
    /// <summary>One-time prekeys the peer keeps on the server (it refills to this many on PREKEYS_LOW).</summary>
    public const int OneTimePrekeyTarget = 50;

    private AccountKeys? _registering;
    private string? _signInPassword;
    private uint? _lowRemaining;

    public bool Enabled => state.ProfileFolder is not null;
    public bool IsOpen { get { lock (state.Gate) return state.Keys is not null; } }

    /// <summary>Why keys could not be opened at the last sign-in, if they could not.</summary>
    public string? OpenProblem { get { lock (state.Gate) return state.OpenProblem; } }

    public byte[]? MyIdentity { get { lock (state.Gate) return state.Keys?.Identity.Public.Encode(); } }

    /// <summary>Our identity key pair, which direct links prove in their handshake; null until the keys are open.</summary>
    public IdentityKeyPair? LinkIdentity { get { lock (state.Gate) return state.Keys?.Identity; } }

    /// <summary>The open account's sealed key files (see <see cref="AccountKeys.WriteSealed"/>); null while no keys are open.</summary>
    public T? WithOpenKeys<T>(Func<AccountKeys, T> use) where T : class
    {
        lock (state.Gate) return state.Keys is { } keys ? use(keys) : null;
    }

    /// <summary>Makes the identity for a new account; returns its 131-byte public key for REGISTER.</summary>
    public byte[]? PrepareRegistration(string username, string password)
    {
        if (state.ProfileFolder is not { } folder) return null;
        var keys = AccountKeys.Create(new KeyFiles(folder, username), password, state.Time.GetUtcNow());
        lock (state.Gate)
        {
            _registering?.Dispose();
            _registering = keys;
            return keys.Identity.Public.Encode();
        }
    }

    /// <summary>The server accepted the registration: write the new keys (sealed). Otherwise they are dropped.</summary>
    public void FinishRegistration(bool registered)
    {
        lock (state.Gate)
        {
            if (registered && _registering is { } keys)
            {
                // A new account (e.g. after the server lost its data): nothing sealed under an older vault may stay.
                keys.Files.DeleteAll();
                keys.SaveAll();
            }
            _registering?.Dispose();
            _registering = null;
        }
    }

    /// <summary>Opens the profile's keys for <paramref name="username"/>, if it has any. Failures are kept in <see cref="OpenProblem"/>.</summary>
    public void OpenForSignIn(string username, string password)
    {
        if (state.ProfileFolder is not { } folder) return;
        lock (state.Gate)
        {
            state.Keys?.Dispose();
            state.Keys = null;
            state.Me = username;
            state.OpenProblem = null;
            _lowRemaining = null;
            _signInPassword = password; // kept until AfterSignIn, in case keys must be made then
            var files = new KeyFiles(folder, username);
            if (!files.Exists) return;
            try
            {
                state.Keys = AccountKeys.Open(files, password);
                // Messages held in an earlier session still wait: say so, as when they were held.
                foreach (var (contact, count) in state.Keys.Held.Counts)
                    state.Events.Publish(ContactTrust.HeldEvent(contact, count, "still held from an earlier session"));
            }
            catch (CryptoProtocolException e)
            {
                state.OpenProblem = e.Reason switch
                {
                    CryptoFailure.WrongPassword => "the profile's keys do not open with this password; end-to-end encryption is off for this session",
                    CryptoFailure.RetiredSuite => $"the profile's keys for {username} were made by an earlier P2PChat (P-256 keys, which this version no longer uses); "
                        + $"nothing was changed or deleted. To make new keys, move the folder {files.Folder} aside and sign in again: your contacts "
                        + "will be told your key changed and should compare safety numbers. End-to-end encryption is off for this session",
                    _ => $"the profile's keys are damaged ({e.Reason}); end-to-end encryption is off for this session",
                };
            }
        }
    }

    /// <summary>PREKEYS_LOW from the server; returns a PREKEYS frame to send now, or null (before sign-in it is kept for <see cref="AfterSignIn"/>).</summary>
    public Prekeys? PrekeysLow(uint remaining, bool signedIn)
    {
        lock (state.Gate)
        {
            if (!signedIn || state.Keys is not { } keys)
            {
                _lowRemaining = remaining;
                return null;
            }
            var batch = keys.Prekeys.AddOneTime(Math.Max(0, OneTimePrekeyTarget - (int)remaining));
            keys.SavePrekeys();
            return new Prekeys([], batch);
        }
    }

    /// <summary>
    /// Once signed in: makes keys if the profile had none (a new identity for the account), rotates the signed prekey when
    /// due, and returns what to send: IDENTITY when the server's key for us is not ours, then PREKEYS.
    /// </summary>
    public IReadOnlyList<Frame> AfterSignIn(byte[] serverIdentityOfMe)
    {
        if (state.ProfileFolder is not { } folder) return [];
        lock (state.Gate)
        {
            var password = _signInPassword;
            _signInPassword = null;
            if (state.OpenProblem is not null || password is null) return [];
            var frames = new List<Frame>();
            if (state.Keys is null)
            {
                state.Keys = AccountKeys.Create(new KeyFiles(folder, state.Me), password, state.Time.GetUtcNow());
                state.Keys.SaveAll();
                _lowRemaining = 0;
            }
            var keys = state.Keys;
            var mine = keys.Identity.Public.Encode();
            if (!mine.AsSpan().SequenceEqual(serverIdentityOfMe))
            {
                frames.Add(new IdentityChange(mine));
                _lowRemaining = 0;
            }
            keys.Prekeys.RotateIfDue(keys.Identity, state.Time.GetUtcNow());
            var batch = _lowRemaining is { } low ? keys.Prekeys.AddOneTime(Math.Max(0, OneTimePrekeyTarget - (int)low)) : [];
            _lowRemaining = null;
            keys.SavePrekeys();
            frames.Add(new Prekeys(keys.Prekeys.Signed.ToSignedPublic().Encode(), batch));
            return frames;
        }
    }

    public string Fingerprint()
    {
        lock (state.Gate) return IdentityFingerprint.Group(IdentityFingerprint.Compute(state.Me, state.RequireOpen().Identity.Public));
    }

    /// <summary>Drops a registration that never finished.</summary>
    internal void DisposeRegistration()
    {
        lock (state.Gate)
        {
            _registering?.Dispose();
            _registering = null;
        }
    }
}
