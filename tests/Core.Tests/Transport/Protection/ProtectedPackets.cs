// Seals and opens one Data packet with any packet protector, for the tests of each protection.
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Wire;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Protection;

internal static class ProtectedPackets
{
    public const int Header = DataPacketLayout.HeaderLength;

    /// <summary>A Data packet (packet number 0xABCDEF) carrying <paramref name="plaintext"/>, protected.</summary>
    public static byte[] Seal(IPacketProtector protector, ReadOnlySpan<byte> plaintext)
    {
        var buffer = new byte[Header + protector.Overhead + plaintext.Length];
        DataPacketLayout.WriteHeader(buffer, 0xABCDEF);
        plaintext.CopyTo(buffer.AsSpan(Header + protector.PlaintextOffset));
        Assert.Equal(buffer.Length, protector.Protect(buffer, Header, plaintext.Length));
        return buffer;
    }

    /// <summary>Opens a copy of <paramref name="packet"/> (the original stays as it was, so it can be replayed).</summary>
    public static bool Open(IPacketProtector protector, byte[] packet, out byte[] plaintext)
    {
        var copy = packet.ToArray();
        bool ok = protector.TryUnprotect(copy, Header, out int start, out int length);
        plaintext = ok ? copy.AsSpan(start, length).ToArray() : [];
        return ok;
    }
}
