// Every HKDF info string, signature context and protocol name in one place; changing one breaks the wire format (KATs check).
using System.Text;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Crypto.Prekeys;

namespace P2PChat.Core.Crypto.Primitives;

internal static class ProtocolLabels
{
    public static readonly byte[] X3dh = Ascii("P2PChat X3DH v1");
    public static readonly byte[] RatchetRoot = Ascii("P2PChat ratchet root v1");
    public static readonly byte[] RatchetMessage = Ascii("P2PChat ratchet message v1");
    public static readonly byte[] SenderKeyMessage = Ascii("P2PChat sender key message v1");
    public static readonly byte[] SenderKeySignature = Ascii("P2PChat sender key signature v1");
    public static readonly byte[] SignedPrekeySignature = Ascii("P2PChat signed prekey v1");
    public static readonly byte[] VaultKey = Ascii("P2PChat vault key v1");
    public static readonly byte[] VaultVerifier = Ascii("P2PChat vault verifier v1");

    // The link handshake's protocol name is the standard Noise one: see Link/NoiseSuite.cs.

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
