// Test helper: AES-GCM packet protectors for the two ends of one connection, built from one random key pair.
using System.Security.Cryptography;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;

namespace P2PChat.Core.Tests.Transport.Tcp;

internal static class MatchingProtectors
{
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] KeyB = RandomNumberGenerator.GetBytes(32);

    /// <summary>The side that sends under key A (e.g. the client).</summary>
    public static IPacketProtector SideA() => new AesGcmPacketProtector(KeyA, KeyB);

    /// <summary>The other side: receives under key A, sends under key B.</summary>
    public static IPacketProtector SideB() => new AesGcmPacketProtector(KeyB, KeyA);
}
