// The one exception parsers throw: the input broke the protocol; carries the status code to close with.
namespace P2PChat.Core.Protocol;

public sealed class ProtocolException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;
}
