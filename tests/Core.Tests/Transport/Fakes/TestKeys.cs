// Fixed test keys and a protector factory using them (stand-in until the secure-channel layer supplies real keys).
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;

namespace P2PChat.Core.Tests.Transport;

internal static class TestKeys
{
    public static readonly byte[] ClientToServer = Enumerable.Repeat((byte)0x11, 32).ToArray();
    public static readonly byte[] ServerToClient = Enumerable.Repeat((byte)0x22, 32).ToArray();

    public static IPacketProtector Protector(ConnectionRole role) => role == ConnectionRole.Client
        ? new AesGcmPacketProtector(ClientToServer, ServerToClient)
        : new AesGcmPacketProtector(ServerToClient, ClientToServer);

    public static TransportOptions WithAesGcm(this TransportOptions options) =>
        options with { ProtectorFactory = (role, _) => Protector(role) };
}
