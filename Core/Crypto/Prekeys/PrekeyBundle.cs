// What an initiator fetches from the server to start a session with an offline user: identity, signed prekey, maybe a one-time prekey.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Prekeys;

/// <summary>
/// Byte layout (168 or 205 bytes):
/// <code>
/// suite 0x02 (1) | identity (65) | signed prekey (101, see SignedPrekeyPublic)
/// | has one-time prekey (1: 0 or 1) | [one-time prekey (37, see OneTimePrekeyPublic)]
/// </code>
/// The server may also keep the three parts as separate blobs and assemble a bundle per request,
/// handing out (and deleting) at most one one-time prekey per request.
/// </summary>
public sealed record PrekeyBundle(IdentityPublicKey Identity, SignedPrekeyPublic SignedPrekey, OneTimePrekeyPublic? OneTimePrekey)
{

    /// <summary>Throws BadSignature unless the signed prekey is signed by the bundle's identity.</summary>
    public void Verify()
    {
        if (!SignedPrekey.VerifySignature(Identity))
            throw new CryptoProtocolException(CryptoFailure.BadSignature, "signed prekey not signed by the identity key");
    }

    public byte[] Encode()
    {
        var writer = new ByteWriter(210).Byte(CryptoSuite.Current).Bytes(Identity.Encoded).Bytes(SignedPrekey.Encode()).Flag(OneTimePrekey is not null);
        if (OneTimePrekey is not null) writer.Bytes(OneTimePrekey.Encode());
        return writer.ToArray();
    }

    /// <summary>Parses and validates keys (not the signature; call <see cref="Verify"/>, or let the session do it).</summary>
    public static PrekeyBundle Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = CryptoBytes.Reader(encoded);
        reader.ExpectSuite("prekey bundle");
        var identity = IdentityPublicKey.Decode(reader.ReadBytes(IdentityPublicKey.EncodedLength));
        var signed = SignedPrekeyPublic.Read(ref reader);
        var oneTime = reader.ReadFlag() ? OneTimePrekeyPublic.Read(ref reader) : null;
        reader.ExpectEnd("prekey bundle");
        return new PrekeyBundle(identity, signed, oneTime);
    }
}
