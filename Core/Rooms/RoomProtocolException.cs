// Why a room frame, state or payload was refused: the reason is for the event the user sees.
namespace P2PChat.Core.Rooms;

/// <summary>A malformed, forged, stale or unauthorised room input. Refusing it never changes room state.</summary>
public sealed class RoomProtocolException(string message) : Exception(message);
