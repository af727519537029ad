// Switching a live TCP-path connection to protected (SEALED) frames, with the same meaning as on the UDP transport.
using P2PChat.Core.Transport.Protection;

namespace P2PChat.Core.Transport.Tcp;

/// <summary>
/// <see cref="UpgradeProtection"/>: every frame written from now on is sealed; frames the peer sent before its own
/// switch (plain, or under the previous protector) are still accepted until the first one opens under the new one.
/// <see cref="PrepareProtection"/>: keep writing as before, also accept SEALED frames under the new protector; the
/// first that opens proves the peer switched, and this side seals from then on. Once a side has received a SEALED
/// frame, a plain frame or a SEALED frame that does not open aborts the connection with
/// <see cref="TransportError.ProtectionViolation"/> (rules and layout: <see cref="TcpFrameProtection"/>).
/// </summary>
public sealed partial class TcpTransportConnection
{
    private readonly TcpFrameProtection _protection = new();

    /// <summary>True once a prepared or upgraded protector has opened a frame from the peer (or none was set).</summary>
    public bool ProtectionSettled { get { lock (Gate) return _protection.Settled; } }

    public void PrepareProtection(IPacketProtector protector)
    {
        lock (Gate)
        {
            ThrowIfCannotSend();
            _protection.Prepare(protector);
        }
    }

    public void UpgradeProtection(IPacketProtector protector)
    {
        lock (Gate)
        {
            ThrowIfCannotSend();
            _protection.Upgrade(protector);
        }
    }
}
