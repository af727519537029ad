// Flow-control limits both peers assume before the first MAX_DATA / MAX_STREAM_DATA frame arrives.
namespace P2PChat.Core.Transport;

/// <summary>
/// There is no parameter exchange in the handshake: each side may initially send 256 KiB per stream and 1 MiB per
/// connection, and receivers raise those limits with MAX_STREAM_DATA / MAX_DATA as soon as a stream or connection
/// exists (to their configured windows) and whenever the reader has consumed half a window.
/// </summary>
internal static class FlowControlDefaults
{
    public const long InitialStreamWindow = 256 * 1024;
    public const long InitialConnectionWindow = 1024 * 1024;
}
