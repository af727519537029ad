// The Double Ratchet (Signal spec) over X25519: per-message keys, DH ratchet steps, bounded skipped keys, all-or-nothing decryption.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Vault;

namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>
/// State (Signal's names): DHs (own ratchet key pair), DHr (peer ratchet public key), RK (root key),
/// CKs / CKr (sending / receiving chain keys), Ns / Nr (message numbers), PN (previous sending chain length),
/// MKSKIPPED (<see cref="SkippedMessageKeys"/>).
/// <code>
/// KDF_RK(rk, dh_out) = HKDF-SHA256(salt = rk, ikm = dh_out, info = "P2PChat ratchet root v1", L = 64) → (rk' = [0..32), ck = [32..64))
/// KDF_CK(ck)         = (mk = HMAC-SHA256(ck, 0x01), ck' = HMAC-SHA256(ck, 0x02))
/// ENCRYPT(mk, pt, ad) = the message AEAD (Aead.Message, AES-256-GCM) with (key | nonce) = HKDF-SHA256(salt = 32 × 0x00, ikm = mk, info = "P2PChat ratchet message v1", L = 44)
/// AEAD associated data = caller's ad | header (40 bytes)
/// </code>
/// Bounds: a message may skip at most <see cref="MaxSkip"/> keys in one chain (checked before any key is derived,
/// so an absurd counter costs nothing), and at most <see cref="MaxStoredSkippedKeys"/> skipped keys are kept.
/// Decrypt computes the new state in locals and commits only after the AEAD tag verified: a rejected
/// message leaves the state exactly as it was.
/// Serialised layout (suite 0x02):
/// <code>
/// suite (1) | DHs private (32) | DHs public (32) | has DHr (1) | [DHr (32)] | RK (32)
/// | has CKs (1) | [CKs (32)] | has CKr (1) | [CKr (32)] | Ns u32 | Nr u32 | PN u32 | MKSKIPPED (see SkippedMessageKeys)
/// | remembered count (1) | count × previous DHr (32), oldest first
/// </code>
/// <para><b>Sending lease</b> (crash safety without an fsync per message): the state as serialised claims the sending
/// chain is at its lease bound (Ns = the bound, CKs = the chain key advanced that far), not at the live Ns. Any copy
/// of the state a crash or power loss leaves behind therefore resumes sending at or past the bound, never at a
/// message number already used. A new sending chain starts with a lease of <see cref="SendLeaseLength"/> numbers
/// (no copy written before the chain existed can reach its keys: they come from a fresh DH key pair). When the live
/// Ns reaches the bound, <see cref="SendExtendsLease"/> turns true: the caller calls <see cref="ExtendSendLease"/> and
/// must make the state written after that send durable (fsync) before the message leaves, so no copy with the old
/// bound can survive. A restarted sender skips to the bound; the receiver keeps the skipped keys (at most
/// <see cref="SendLeaseLength"/> per restart, well inside <see cref="MaxSkip"/>).</para>
/// The last <see cref="RememberedRatchetKeys"/> peer ratchet keys are remembered so that a late copy of a message
/// from an earlier chain (whose unused keys are in MKSKIPPED or gone) is refused as Replayed without a DH step.
/// </summary>
internal sealed class DoubleRatchet : IDisposable
{
    public const int MaxSkip = 1000;
    public const int MaxStoredSkippedKeys = 1000;
    public const int RememberedRatchetKeys = 5;
    public const uint SendLeaseLength = 64;

    private readonly IKeySource _keys;
    private readonly SkippedMessageKeys _skipped;
    private AgreementKeyPair _dhs;
    private byte[]? _dhr;
    private readonly List<byte[]> _previousDhr = [];
    private byte[] _rk;
    private byte[]? _cks;
    private byte[]? _ckr;
    private uint _ns, _nr, _pn;
    private uint _leaseBound;
    private byte[]? _leaseCks;

    private DoubleRatchet(IKeySource keys, AgreementKeyPair dhs, byte[] rootKey, SkippedMessageKeys skipped)
    {
        _keys = keys;
        _dhs = dhs;
        _rk = rootKey;
        _skipped = skipped;
    }

    public int StoredSkippedKeys => _skipped.Count;

    /// <summary>RatchetInitAlice: the initiator sends first, to the responder's signed prekey as DHr.</summary>
    public static DoubleRatchet CreateInitiator(byte[] sharedSecret, ReadOnlySpan<byte> responderRatchetKey, IKeySource keys)
    {
        var ratchet = new DoubleRatchet(keys, AgreementKeyPair.Generate(keys), sharedSecret, new SkippedMessageKeys(MaxStoredSkippedKeys))
        {
            _dhr = responderRatchetKey.ToArray(),
        };
        var dh = ratchet._dhs.Agree(responderRatchetKey);
        (ratchet._rk, ratchet._cks) = RootStep(sharedSecret, dh);
        CryptographicOperations.ZeroMemory(sharedSecret);
        ratchet.ExtendSendLease();
        return ratchet;
    }

    /// <summary>RatchetInitBob: the responder's signed prekey is its first ratchet key pair (a copy is taken).</summary>
    public static DoubleRatchet CreateResponder(byte[] sharedSecret, AgreementKeyPair signedPrekey, IKeySource keys) =>
        new(keys, Copy(signedPrekey), sharedSecret, new SkippedMessageKeys(MaxStoredSkippedKeys));

    private static AgreementKeyPair Copy(AgreementKeyPair key)
    {
        var secret = key.ExportPrivate();
        try { return AgreementKeyPair.FromPrivateKey(secret); }
        finally { CryptographicOperations.ZeroMemory(secret); }
    }

    /// <summary>The next Encrypt uses a message number at or past the lease bound: extend the lease and save durably.</summary>
    public bool SendExtendsLease => _cks is not null && _ns >= _leaseBound;

    /// <summary>Moves the lease bound <see cref="SendLeaseLength"/> numbers past the live Ns (see the class summary).</summary>
    public void ExtendSendLease()
    {
        if (_cks is null) return;
        uint bound = _ns >= uint.MaxValue - SendLeaseLength ? uint.MaxValue : _ns + SendLeaseLength;
        Wipe(_leaseCks);
        (_leaseCks, _leaseBound) = (bound == _ns ? null : Kdf.ChainKeyAfter(_cks, bound - _ns), bound);
    }

    public (byte[] Header, byte[] Ciphertext) Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        if (_cks is null) throw new CryptoProtocolException(CryptoFailure.InvalidState, "no sending chain yet: receive a message first");
        if (_ns == uint.MaxValue) throw new CryptoProtocolException(CryptoFailure.KeyExhausted, "sending chain exhausted");
        var header = new RatchetHeader(_dhs.PublicKey.ToArray(), _pn, _ns).Encode();
        var (messageKey, nextChainKey) = Kdf.ChainStep(_cks);
        try
        {
            var ciphertext = Aead.SealWithMessageKey(messageKey, ProtocolLabels.RatchetMessage, plaintext, [.. associatedData, .. header]);
            Wipe(_cks);
            _cks = nextChainKey;
            _ns++;
            return (header, ciphertext);
        }
        finally { CryptographicOperations.ZeroMemory(messageKey); }
    }

    public byte[] Decrypt(RatchetHeader header, ReadOnlySpan<byte> headerBytes, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData)
    {
        byte[] ad = [.. associatedData, .. headerBytes];
        if (_skipped.TryGet(header.RatchetKey, header.MessageNumber, out var skippedKey))
        {
            var plaintext = Aead.OpenWithMessageKey(skippedKey, ProtocolLabels.RatchetMessage, ciphertext, ad);
            _skipped.Remove(header.RatchetKey, header.MessageNumber);
            return plaintext;
        }
        if (_previousDhr.Any(key => header.RatchetKey.AsSpan().SequenceEqual(key)))
            throw new CryptoProtocolException(CryptoFailure.Replayed, "message from an earlier ratchet step; its key is gone");
        var next = new Pending(_rk, _dhr, _cks, _ckr, _ns, _nr, _pn);
        try
        {
            if (_dhr is null || !header.RatchetKey.AsSpan().SequenceEqual(_dhr)) StepRatchet(next, header);
            else if (header.MessageNumber < next.Nr) throw new CryptoProtocolException(CryptoFailure.Replayed, "message already received; its key is gone");
            if ((long)header.MessageNumber - next.Nr > MaxSkip) throw TooManySkipped();
            SkipTo(next, header.MessageNumber);
            var (messageKey, nextChainKey) = Kdf.ChainStep(next.Ckr!);
            next.Forget(next.Ckr);
            next.Ckr = nextChainKey;
            next.Nr++;
            try
            {
                var plaintext = Aead.OpenWithMessageKey(messageKey, ProtocolLabels.RatchetMessage, ciphertext, ad);
                Commit(next);
                return plaintext;
            }
            finally { CryptographicOperations.ZeroMemory(messageKey); }
        }
        catch
        {
            next.Discard();
            throw;
        }
    }

    // DH ratchet step into locals: store the rest of the current receiving chain, then derive new receiving and sending chains.
    private void StepRatchet(Pending next, RatchetHeader header)
    {
        if (next.Ckr is not null && (long)header.PreviousChainLength - next.Nr > MaxSkip) throw TooManySkipped();
        if (header.MessageNumber > MaxSkip) throw TooManySkipped();
        if (next.Ckr is not null) SkipTo(next, header.PreviousChainLength);
        next.Pn = next.Ns;
        next.Ns = 0;
        next.Nr = 0;
        next.Dhr = header.RatchetKey;
        var (rootAfterReceive, receivingChain) = RootStep(next.Rk, _dhs.Agree(header.RatchetKey));
        next.Forget(next.Ckr);
        next.Ckr = receivingChain;
        next.NewDhs = AgreementKeyPair.Generate(_keys);
        (next.Rk, next.Cks) = RootStep(rootAfterReceive, next.NewDhs.Agree(header.RatchetKey));
        CryptographicOperations.ZeroMemory(rootAfterReceive);
    }

    private static void SkipTo(Pending next, uint until)
    {
        if (next.Ckr is null) return;
        while (next.Nr < until)
        {
            var (messageKey, nextChainKey) = Kdf.ChainStep(next.Ckr);
            next.Skipped.Add((next.Dhr!, next.Nr, messageKey));
            next.Forget(next.Ckr);
            next.Ckr = nextChainKey;
            next.Nr++;
        }
    }

    private void Commit(Pending next)
    {
        if (!ReferenceEquals(_rk, next.Rk)) Wipe(_rk);
        if (!ReferenceEquals(_cks, next.Cks)) Wipe(_cks);
        if (!ReferenceEquals(_ckr, next.Ckr)) Wipe(_ckr);
        if (_dhr is not null && !ReferenceEquals(_dhr, next.Dhr)) Remember(_dhr);
        bool newSendingChain = !ReferenceEquals(_cks, next.Cks);
        (_rk, _cks, _ckr, _dhr) = (next.Rk, next.Cks, next.Ckr, next.Dhr);
        (_ns, _nr, _pn) = (next.Ns, next.Nr, next.Pn);
        if (newSendingChain) ExtendSendLease();
        if (next.NewDhs is not null)
        {
            _dhs.Dispose();
            _dhs = next.NewDhs;
        }
        foreach (var (ratchetKey, number, key) in next.Skipped) _skipped.Add(ratchetKey, number, key);
        foreach (var intermediate in next.Intermediates) Wipe(intermediate);
    }

    // Old peer ratchet keys, so a late copy of an old-chain message is refused as a replay without a DH step.
    private void Remember(byte[] ratchetKey)
    {
        _previousDhr.Add(ratchetKey);
        if (_previousDhr.Count > RememberedRatchetKeys) _previousDhr.RemoveAt(0);
    }

    private static (byte[] RootKey, byte[] ChainKey) RootStep(ReadOnlySpan<byte> rootKey, byte[] dhOutput)
    {
        try { return Kdf.HkdfPair(dhOutput, rootKey, ProtocolLabels.RatchetRoot); }
        finally { CryptographicOperations.ZeroMemory(dhOutput); }
    }

    private static void Wipe(byte[]? key)
    {
        if (key is not null) CryptographicOperations.ZeroMemory(key);
    }

    private static CryptoProtocolException TooManySkipped() =>
        new(CryptoFailure.TooManySkippedMessages, $"message would skip more than {MaxSkip} keys");

    /// <summary>Whether the state as serialised claims a lease bound past the live Ns (see the class summary).</summary>
    public bool HoldsSendLease => _leaseCks is not null && _leaseBound > _ns;

    /// <param name="atLiveCounter">Write the live Ns and chain key instead of the lease bound: only for the last save
    /// before the state is dropped (a clean close), flushed to disk, so a clean restart skips no message numbers.</param>
    public byte[] Serialize(bool atLiveCounter = false)
    {
        var dhsPrivate = _dhs.ExportPrivate();
        var writer = new ByteWriter(512 + _skipped.Count * 68)
            .Byte(CryptoSuite.Current).Bytes(dhsPrivate).Bytes(_dhs.PublicKey.Span).Flag(_dhr is not null);
        CryptographicOperations.ZeroMemory(dhsPrivate);
        if (_dhr is not null) writer.Bytes(_dhr);
        // Within a lease the sending chain is written as it will be at the bound (see the class summary).
        bool leased = HoldsSendLease && !atLiveCounter;
        var (cks, ns) = leased ? (_leaseCks, _leaseBound) : (_cks, _ns);
        writer.Bytes(_rk).Flag(cks is not null);
        if (cks is not null) writer.Bytes(cks);
        writer.Flag(_ckr is not null);
        if (_ckr is not null) writer.Bytes(_ckr);
        writer.UInt32(ns).UInt32(_nr).UInt32(_pn);
        _skipped.Write(writer);
        writer.Byte((byte)_previousDhr.Count);
        foreach (var key in _previousDhr) writer.Bytes(key);
        return writer.ToArray();
    }

    public static DoubleRatchet Read(ref ByteReader reader, IKeySource keys)
    {
        reader.ExpectSuite("ratchet state");
        var dhs = AgreementKeyPair.FromPrivateKey(reader.ReadBytes(AgreementKeyPair.PrivateKeyLength));
        if (!reader.ReadBytes(AgreementKeyPair.PublicKeyLength).SequenceEqual(dhs.PublicKey.Span))
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "ratchet key pair does not match");
        var dhr = reader.ReadFlag() ? reader.ReadArray(AgreementKeyPair.PublicKeyLength) : null;
        var rk = reader.ReadArray(Kdf.KeyLength);
        var cks = reader.ReadFlag() ? reader.ReadArray(Kdf.KeyLength) : null;
        var ckr = reader.ReadFlag() ? reader.ReadArray(Kdf.KeyLength) : null;
        var (ns, nr, pn) = (reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
        var skipped = SkippedMessageKeys.Read(ref reader, MaxStoredSkippedKeys);
        // No lease after loading: the first send extends it (durably), as after a crash.
        var ratchet = new DoubleRatchet(keys, dhs, rk, skipped) { _dhr = dhr, _cks = cks, _ckr = ckr, _ns = ns, _nr = nr, _pn = pn, _leaseBound = ns };
        int remembered = reader.ReadByte();
        if (remembered > RememberedRatchetKeys) throw new CryptoProtocolException(CryptoFailure.Malformed, "too many remembered ratchet keys");
        for (var i = 0; i < remembered; i++) ratchet.Remember(reader.ReadArray(AgreementKeyPair.PublicKeyLength));
        return ratchet;
    }

    public void Dispose()
    {
        _dhs.Dispose();
        foreach (var key in new[] { _rk, _cks, _ckr, _leaseCks }) Wipe(key);
        _skipped.Clear();
    }

    // The candidate next state of one Decrypt; arrays shared with the live state are never written in place.
    private sealed class Pending
    {
        public byte[] Rk;
        public byte[]? Dhr, Cks, Ckr;
        public uint Ns, Nr, Pn;
        public AgreementKeyPair? NewDhs;
        public readonly List<(byte[] RatchetKey, uint Number, byte[] Key)> Skipped = [];
        public readonly List<byte[]> Intermediates = [];
        private readonly byte[][] _live;

        public Pending(byte[] rk, byte[]? dhr, byte[]? cks, byte[]? ckr, uint ns, uint nr, uint pn)
        {
            (Rk, Dhr, Cks, Ckr, Ns, Nr, Pn) = (rk, dhr, cks, ckr, ns, nr, pn);
            _live = new[] { rk, cks, ckr }.OfType<byte[]>().ToArray();
        }

        // Chain keys this decryption derived and then stepped past: wiped on commit or discard (never a live one).
        public void Forget(byte[]? chainKey)
        {
            if (chainKey is not null && !IsLive(chainKey)) Intermediates.Add(chainKey);
        }

        public void Discard()
        {
            NewDhs?.Dispose();
            foreach (var (_, _, key) in Skipped) Wipe(key);
            foreach (var key in Intermediates.Concat(new[] { Rk, Cks, Ckr }.OfType<byte[]>()).Where(k => !IsLive(k))) Wipe(key);
        }

        private bool IsLive(byte[] key) => _live.Any(live => ReferenceEquals(live, key));
    }
}
