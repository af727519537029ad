// The Noise XX handshake pattern over X25519, to the specification: tokens, message layouts, Split; reproduces the published vectors.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// <code>
/// XX:
///   -> e
///   &lt;- e, ee, s, es
///   -> s, se
/// message 1 (initiator): e (32) | payload (clear)
/// message 2 (responder): e (32) | ENCRYPT(s) (32 + 16) | ENCRYPT(payload) (len + 16)
/// message 3 (initiator): ENCRYPT(s) (32 + 16) | ENCRYPT(payload) (len + 16)
/// </code>
/// Token "ee" = DH(e, re); "es" = DH(e, rs) on the initiator, DH(s, re) on the responder; "se" the mirror image.
/// A DH with a low-order point (all-zero output) is refused as InvalidKey. After message 3 both sides call
/// <see cref="Split"/>. Not thread-safe; steps out of order throw InvalidState.
/// </summary>
internal sealed class NoiseXXHandshake : IDisposable
{
    public const int DhLength = AgreementKeyPair.PublicKeyLength;
    private readonly NoiseSymmetricState _symmetric;
    private readonly bool _initiator;
    private readonly AgreementKeyPair _static;
    private readonly byte[] _staticPublic;
    private readonly AgreementKeyPair _ephemeral;
    private int _message;

    /// <param name="claimedStaticPublic">Tests only: announce this static key while holding <paramref name="localStatic"/> (an impostor).</param>
    public NoiseXXHandshake(NoiseSuite suite, bool initiator, AgreementKeyPair localStatic, AgreementKeyPair ephemeral, ReadOnlySpan<byte> prologue,
        ReadOnlyMemory<byte>? claimedStaticPublic = null)
    {
        _symmetric = new NoiseSymmetricState(suite, prologue);
        _initiator = initiator;
        _static = localStatic;
        _staticPublic = (claimedStaticPublic ?? localStatic.PublicKey).ToArray();
        _ephemeral = ephemeral;
    }

    public byte[]? RemoteStatic { get; private set; }
    public byte[]? RemoteEphemeral { get; private set; }
    public bool IsComplete => _message == 3;
    public ReadOnlySpan<byte> HandshakeHash => _symmetric.HandshakeHash;

    /// <summary>Writes the next message (1 and 3 on the initiator, 2 on the responder).</summary>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        ExpectTurn(writing: true);
        var writer = new ByteWriter(128 + payload.Length);
        switch (_message)
        {
            case 0:
                WriteE(writer);
                break;
            case 1:
                WriteE(writer);
                _symmetric.MixKey(_ephemeral.Agree(RemoteEphemeral!));
                writer.Bytes(_symmetric.EncryptAndHash(_staticPublic));
                _symmetric.MixKey(_static.Agree(RemoteEphemeral!));
                break;
            case 2:
                writer.Bytes(_symmetric.EncryptAndHash(_staticPublic));
                _symmetric.MixKey(_static.Agree(RemoteEphemeral!));
                break;
        }
        writer.Bytes(_symmetric.EncryptAndHash(payload));
        _message++;
        return writer.ToArray();
    }

    /// <summary>Reads the next message and returns its payload; throws (Malformed, InvalidKey, AuthenticationFailed) on anything wrong.</summary>
    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        ExpectTurn(writing: false);
        var reader = CryptoBytes.Reader(message);
        switch (_message)
        {
            case 0:
                ReadE(ref reader);
                break;
            case 1:
                ReadE(ref reader);
                _symmetric.MixKey(_ephemeral.Agree(RemoteEphemeral!));
                ReadS(ref reader);
                _symmetric.MixKey(_ephemeral.Agree(RemoteStatic!));
                break;
            case 2:
                ReadS(ref reader);
                _symmetric.MixKey(_ephemeral.Agree(RemoteStatic!));
                break;
        }
        var payload = _symmetric.DecryptAndHash(reader.ReadRest());
        _message++;
        return payload;
    }

    /// <summary>(initiator → responder key, responder → initiator key), once complete.</summary>
    public (byte[] InitiatorToResponder, byte[] ResponderToInitiator) Split() => IsComplete
        ? _symmetric.Split()
        : throw new CryptoProtocolException(CryptoFailure.InvalidState, "handshake not complete");

    private void ExpectTurn(bool writing)
    {
        if (_message >= 3) throw new CryptoProtocolException(CryptoFailure.InvalidState, "handshake already complete");
        var initiatorWrites = _message % 2 == 0;
        if (writing != (initiatorWrites == _initiator))
            throw new CryptoProtocolException(CryptoFailure.InvalidState, writing ? "not this side's turn to write" : "not this side's turn to read");
    }

    private void WriteE(ByteWriter writer)
    {
        writer.Bytes(_ephemeral.PublicKey.Span);
        _symmetric.MixHash(_ephemeral.PublicKey.Span);
    }

    private void ReadE(ref ByteReader reader)
    {
        var remote = reader.ReadArray(DhLength);
        AgreementKeyPair.ValidatePublic(remote);
        RemoteEphemeral = remote;
        _symmetric.MixHash(remote);
    }

    private void ReadS(ref ByteReader reader)
    {
        var length = DhLength + (_symmetric.HasKey ? NoiseCipherState.TagLength : 0);
        var remote = _symmetric.DecryptAndHash(reader.ReadBytes(length));
        AgreementKeyPair.ValidatePublic(remote);
        RemoteStatic = remote;
    }

    public void Dispose() => _symmetric.Dispose();
}
