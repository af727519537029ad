// How well a member can be reached, best first: what the automatic host proposal ranks first.
namespace P2PChat.Core.Rooms;

public enum RoomReach : byte
{
    /// <summary>Reachable on a direct path (no NAT, or a hole punched).</summary>
    Direct = 0,
    /// <summary>Reachable through a router-mapped port (UPnP, NAT-PMP, PCP).</summary>
    Mapped = 1,
    /// <summary>Only through the server's relay (or chose to be: its address stays private).</summary>
    RelayOnly = 2,
}
