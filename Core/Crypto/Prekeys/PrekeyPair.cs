// A prekey's private side kept by its owner (signed or one-time), with the private export for the vault.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Prekeys;

/// <summary>
/// A prekey this peer holds. Private export layout, sealed by the vault:
/// <code>suite 0x02 (1) | id u32 BE (4) | X25519 private key (32) | has signature (1) | [signature (64)]</code>
/// A signed prekey has a signature by the identity key (see <see cref="SignedPrekeyPublic"/>); a one-time prekey has none.
/// Delete a one-time prekey (Dispose and drop it from storage) as soon as a session was accepted with it.
/// </summary>
public sealed class PrekeyPair : IDisposable
{

    private PrekeyPair(uint id, AgreementKeyPair key, byte[]? signature)
    {
        Id = id;
        Key = key;
        // Spelled out: a null byte[] would otherwise convert to an empty, non-null ReadOnlyMemory.
        Signature = signature is null ? (ReadOnlyMemory<byte>?)null : signature;
    }

    public uint Id { get; }
    public AgreementKeyPair Key { get; }
    public ReadOnlyMemory<byte>? Signature { get; }
    public bool IsSigned => Signature is not null;

    public static PrekeyPair CreateSigned(IdentityKeyPair owner, uint id, IKeySource? keys = null)
    {
        var key = AgreementKeyPair.Generate(keys ?? SystemKeySource.Instance);
        return new PrekeyPair(id, key, owner.Sign(SignedPrekeyPublic.SignedData(owner.Public, id, key.PublicKey.Span)));
    }

    public static PrekeyPair CreateOneTime(uint id, IKeySource? keys = null) =>
        new(id, AgreementKeyPair.Generate(keys ?? SystemKeySource.Instance), null);

    /// <summary>A batch of one-time prekeys with consecutive ids, for the initial upload or replenishing.</summary>
    public static IReadOnlyList<PrekeyPair> CreateOneTimeBatch(uint firstId, int count, IKeySource? keys = null) =>
        Enumerable.Range(0, count).Select(i => CreateOneTime(unchecked(firstId + (uint)i), keys)).ToList();

    public SignedPrekeyPublic ToSignedPublic() => Signature is { } signature
        ? new SignedPrekeyPublic(Id, Key.PublicKey, signature)
        : throw new CryptoProtocolException(CryptoFailure.InvalidState, "a one-time prekey has no signature");

    public OneTimePrekeyPublic ToOneTimePublic() => new(Id, Key.PublicKey);

    public byte[] ExportPrivate()
    {
        var secret = Key.ExportPrivate();
        var writer = new ByteWriter(102).Byte(CryptoSuite.Current).UInt32(Id).Bytes(secret).Flag(IsSigned);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        if (Signature is { } signature) writer.Bytes(signature.Span);
        return writer.ToArray();
    }

    public static PrekeyPair ImportPrivate(ReadOnlySpan<byte> exported)
    {
        var reader = CryptoBytes.Reader(exported);
        reader.ExpectSuite("prekey");
        var id = reader.ReadUInt32();
        var scalar = reader.ReadBytes(AgreementKeyPair.PrivateKeyLength);
        var signature = reader.ReadFlag() ? reader.ReadArray(SigningKeyPair.SignatureLength) : null;
        reader.ExpectEnd("prekey");
        return new PrekeyPair(id, AgreementKeyPair.FromPrivateKey(scalar), signature);
    }

    public void Dispose() => Key.Dispose();
}
