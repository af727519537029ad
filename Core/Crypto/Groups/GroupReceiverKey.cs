// Another member's sender key as I hold it: verifies and decrypts their group messages, with bounded skipped keys.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Vault;

namespace P2PChat.Core.Crypto.Groups;

/// <summary>
/// Made from a <see cref="SenderKeyDistribution"/> received over a pairwise session. Verifies the signature first,
/// then derives the message key for the message's iteration (at most <see cref="MaxSkip"/> ahead; skipped keys are
/// kept for late messages, at most <see cref="MaxStoredSkippedKeys"/>), and commits only after the tag verified.
/// Serialised layout:
/// <code>suite 0x02 | key id u32 | iteration u32 | chain key (32) | Ed25519 signing public key (32)
/// | skipped count u16 | count × (iteration u32 | message key (32))</code>
/// </summary>
public sealed class GroupReceiverKey : IDisposable
{
    public const int MaxSkip = 1000;
    public const int MaxStoredSkippedKeys = 1000;
    private readonly byte[] _signingKey;
    private readonly BoundedKeyStore<uint> _skipped = new(MaxStoredSkippedKeys);
    private byte[] _chainKey;

    private GroupReceiverKey(uint keyId, uint iteration, byte[] chainKey, byte[] signingKey)
    {
        KeyId = keyId;
        Iteration = iteration;
        _chainKey = chainKey;
        _signingKey = signingKey;
    }

    public uint KeyId { get; }

    /// <summary>The next iteration this key expects.</summary>
    public uint Iteration { get; private set; }

    public static GroupReceiverKey FromDistribution(SenderKeyDistribution distribution) =>
        new(distribution.KeyId, distribution.Iteration, distribution.ChainKey.ToArray(), distribution.SigningKey.ToArray());

    /// <summary>The key id a group message was sent under, to pick the right receiver key before decrypting.</summary>
    public static uint ReadKeyId(ReadOnlySpan<byte> message) => SenderKeyMessage.Decode(message).KeyId;

    public byte[] Decrypt(ReadOnlySpan<byte> groupId, ReadOnlySpan<byte> message)
    {
        var parsed = SenderKeyMessage.Decode(message);
        if (parsed.KeyId != KeyId) throw new CryptoProtocolException(CryptoFailure.UnknownKey, "message is under another sender key");
        if (!SigningKeyPair.Verify(_signingKey, SenderKeyMessage.SignedData(groupId, parsed.SignedBody), parsed.Signature))
            throw new CryptoProtocolException(CryptoFailure.BadSignature, "group message not signed by the sender");
        var ad = SenderKeyMessage.AssociatedData(groupId, parsed.Header);
        if (parsed.Iteration < Iteration) return DecryptSkipped(parsed, ad);
        if ((long)parsed.Iteration - Iteration > MaxSkip)
            throw new CryptoProtocolException(CryptoFailure.TooManySkippedMessages, $"message would skip more than {MaxSkip} keys");

        var chainKey = _chainKey;
        var skipped = new List<(uint, byte[])>();
        var derived = new List<byte[]>();
        byte[] messageKey;
        for (var i = Iteration; ; i++)
        {
            (messageKey, var next) = Kdf.ChainStep(chainKey);
            if (!ReferenceEquals(chainKey, _chainKey)) derived.Add(chainKey);
            chainKey = next;
            if (i == parsed.Iteration) break;
            skipped.Add((i, messageKey));
        }
        try
        {
            var plaintext = Aead.OpenWithMessageKey(messageKey, ProtocolLabels.SenderKeyMessage, parsed.Ciphertext, ad);
            CryptographicOperations.ZeroMemory(_chainKey);
            _chainKey = chainKey;
            Iteration = parsed.Iteration + 1;
            foreach (var (iteration, key) in skipped) _skipped.Add(iteration, key);
            return plaintext;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(chainKey);
            foreach (var (_, key) in skipped) CryptographicOperations.ZeroMemory(key);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
            foreach (var key in derived) CryptographicOperations.ZeroMemory(key);
        }
    }

    private byte[] DecryptSkipped(SenderKeyMessage parsed, byte[] ad)
    {
        if (!_skipped.TryGet(parsed.Iteration, out var key))
            throw new CryptoProtocolException(CryptoFailure.Replayed, "message already received; its key is gone");
        var plaintext = Aead.OpenWithMessageKey(key, ProtocolLabels.SenderKeyMessage, parsed.Ciphertext, ad);
        _skipped.Remove(parsed.Iteration);
        return plaintext;
    }

    public byte[] Serialize()
    {
        var writer = new ByteWriter(160 + _skipped.Count * 36).Byte(CryptoSuite.Current).UInt32(KeyId).UInt32(Iteration)
            .Bytes(_chainKey).Bytes(_signingKey).UInt16((ushort)_skipped.Count);
        foreach (var (iteration, key) in _skipped.OldestFirst) writer.UInt32(iteration).Bytes(key);
        return writer.ToArray();
    }

    public static GroupReceiverKey Deserialize(ReadOnlySpan<byte> state)
    {
        var reader = CryptoBytes.Reader(state);
        reader.ExpectSuite("group receiver key");
        var result = new GroupReceiverKey(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadArray(Kdf.KeyLength), reader.ReadArray(SigningKeyPair.PublicKeyLength));
        int count = reader.ReadUInt16();
        if (count > MaxStoredSkippedKeys) throw new CryptoProtocolException(CryptoFailure.Malformed, "too many stored skipped keys");
        for (var i = 0; i < count; i++) result._skipped.Add(reader.ReadUInt32(), reader.ReadArray(Kdf.KeyLength));
        reader.ExpectEnd("group receiver key");
        SigningKeyPair.ValidatePublic(result._signingKey);
        return result;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_chainKey);
        _skipped.Clear();
    }
}
