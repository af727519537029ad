// My own sender key for one group: encrypts and signs my group messages; replaced (rekeyed) when membership shrinks.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Groups;

/// <summary>
/// Chain: mk_i, ck_(i+1) = KDF_CK(ck_i) as in the ratchet (HMAC-SHA256 with 0x01 / 0x02); each message uses the next iteration.
/// Rekey: when a member leaves or is removed, drop this object, <see cref="Create"/> a new one (new key id, chain and
/// signing key) and send its <see cref="CreateDistribution"/> to the remaining members only.
/// Serialised layout: <code>suite 0x02 | key id u32 | iteration u32 | chain key (32) | Ed25519 signing seed (32)</code>
/// </summary>
public sealed class GroupSenderKey : IDisposable
{
    private readonly SigningKeyPair _signing;
    private byte[] _chainKey;

    private GroupSenderKey(uint keyId, uint iteration, byte[] chainKey, SigningKeyPair signing)
    {
        KeyId = keyId;
        Iteration = iteration;
        _chainKey = chainKey;
        _signing = signing;
    }

    public uint KeyId { get; }

    /// <summary>The iteration the next message will use.</summary>
    public uint Iteration { get; private set; }

    public static GroupSenderKey Create(IKeySource? keys = null)
    {
        keys ??= SystemKeySource.Instance;
        Span<byte> id = stackalloc byte[4];
        keys.Fill(id);
        var chainKey = new byte[Kdf.KeyLength];
        keys.Fill(chainKey);
        return new GroupSenderKey(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(id), 0, chainKey, SigningKeyPair.Generate(keys));
    }

    /// <summary>The current chain state for a (new or remaining) member; it opens this and later messages only.</summary>
    public SenderKeyDistribution CreateDistribution() => new(KeyId, Iteration, _chainKey.ToArray(), _signing.PublicKey.ToArray());

    public byte[] Encrypt(ReadOnlySpan<byte> groupId, ReadOnlySpan<byte> plaintext)
    {
        if (Iteration == uint.MaxValue) throw new CryptoProtocolException(CryptoFailure.KeyExhausted, "sender chain exhausted");
        var header = SenderKeyMessage.EncodeHeader(KeyId, Iteration);
        var (messageKey, nextChainKey) = Kdf.ChainStep(_chainKey);
        try
        {
            byte[] body = [.. header, .. Aead.SealWithMessageKey(messageKey, ProtocolLabels.SenderKeyMessage, plaintext, SenderKeyMessage.AssociatedData(groupId, header))];
            var signature = _signing.Sign(SenderKeyMessage.SignedData(groupId, body));
            CryptographicOperations.ZeroMemory(_chainKey);
            _chainKey = nextChainKey;
            Iteration++;
            return [.. body, .. signature];
        }
        finally { CryptographicOperations.ZeroMemory(messageKey); }
    }

    public byte[] Serialize()
    {
        var seed = _signing.ExportPrivate();
        try { return new ByteWriter(80).Byte(CryptoSuite.Current).UInt32(KeyId).UInt32(Iteration).Bytes(_chainKey).Bytes(seed).ToArray(); }
        finally { CryptographicOperations.ZeroMemory(seed); }
    }

    public static GroupSenderKey Deserialize(ReadOnlySpan<byte> state)
    {
        var reader = CryptoBytes.Reader(state);
        reader.ExpectSuite("group sender key");
        var keyId = reader.ReadUInt32();
        var iteration = reader.ReadUInt32();
        var chainKey = reader.ReadArray(Kdf.KeyLength);
        var signing = SigningKeyPair.FromPrivateKey(reader.ReadBytes(SigningKeyPair.PrivateKeyLength));
        reader.ExpectEnd("group sender key");
        return new GroupSenderKey(keyId, iteration, chainKey, signing);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_chainKey);
        _signing.Dispose();
    }
}
