// Codec of the end-to-end message envelope: a normal ratchet message or a prekey (first) message; the same bytes on every route.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Vault;

namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>
/// Byte layout:
/// <code>
/// suite 0x02 (1) | kind (1: 0x01 ratchet, 0x02 prekey)
/// if prekey:  initiator identity (65) | base key = initiator's ephemeral X25519 public key (32)
///             | signed prekey id u32 BE (4) | has one-time prekey (1) | [one-time prekey id u32 BE (4)]
/// ratchet header (40, see RatchetHeader)
/// message-AEAD ciphertext | tag (Aead.Message: AES-256-GCM, 16)
/// </code>
/// AEAD associated data = AD of X3DH (identity(initiator) | identity(responder), 130 bytes) | every envelope byte before the ciphertext.
/// So any change to any byte is rejected, either by parsing, by a different X3DH secret, or by the tag.
/// </summary>
public sealed class MessageEnvelope
{
    public const byte Version = CryptoSuite.Current;
    private readonly byte[] _bytes;

    private MessageEnvelope(byte[] bytes, EnvelopeKind kind, PrekeyInfo? prekey, RatchetHeader header, int headerOffset)
    {
        _bytes = bytes;
        Kind = kind;
        Prekey = prekey;
        Header = header;
        HeaderOffset = headerOffset;
    }

    public EnvelopeKind Kind { get; }

    /// <summary>Set for prekey messages: tells the responder which prekeys to look up.</summary>
    public PrekeyInfo? Prekey { get; }

    internal RatchetHeader Header { get; }
    internal int HeaderOffset { get; }
    internal ReadOnlySpan<byte> PrefixBeforeHeader => _bytes.AsSpan(0, HeaderOffset);
    internal ReadOnlySpan<byte> HeaderBytes => _bytes.AsSpan(HeaderOffset, RatchetHeader.EncodedLength);
    internal ReadOnlySpan<byte> Ciphertext => _bytes.AsSpan(HeaderOffset + RatchetHeader.EncodedLength);

    public static MessageEnvelope Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = CryptoBytes.Reader(bytes);
        reader.ExpectSuite("message envelope");
        var kind = (EnvelopeKind)reader.ReadByte();
        var prekey = kind switch
        {
            EnvelopeKind.Ratchet => null,
            EnvelopeKind.Prekey => ReadPrekey(ref reader),
            _ => throw new CryptoProtocolException(CryptoFailure.UnsupportedVersion, "unknown envelope kind"),
        };
        var headerOffset = reader.Position;
        var header = RatchetHeader.Read(ref reader);
        if (reader.Remaining < Aead.TagLength) throw new CryptoProtocolException(CryptoFailure.Malformed, "envelope ciphertext too short");
        return new MessageEnvelope(bytes.ToArray(), kind, prekey, header, headerOffset);
    }

    /// <summary>The envelope bytes before the ratchet header, for the sender to authenticate.</summary>
    internal static byte[] EncodePrefix(PrekeyInfo? prekey)
    {
        var writer = new ByteWriter(210).Byte(CryptoSuite.Current).Byte((byte)(prekey is null ? EnvelopeKind.Ratchet : EnvelopeKind.Prekey));
        if (prekey is null) return writer.ToArray();
        writer.Bytes(prekey.InitiatorIdentity.Encoded).Bytes(prekey.BaseKey.Span).UInt32(prekey.SignedPrekeyId).Flag(prekey.OneTimePrekeyId.HasValue);
        if (prekey.OneTimePrekeyId is { } oneTimeId) writer.UInt32(oneTimeId);
        return writer.ToArray();
    }

    private static PrekeyInfo ReadPrekey(ref ByteReader reader)
    {
        var identity = IdentityPublicKey.Decode(reader.ReadBytes(IdentityPublicKey.EncodedLength));
        var baseKey = reader.ReadArray(AgreementKeyPair.PublicKeyLength);
        var signedId = reader.ReadUInt32();
        uint? oneTimeId = reader.ReadFlag() ? reader.ReadUInt32() : null;
        return new PrekeyInfo(identity, baseKey, signedId, oneTimeId);
    }
}
