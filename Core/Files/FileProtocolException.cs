// A peer broke the file transfer protocol, or an offer cannot be accepted as it stands; the message says why.
namespace P2PChat.Core.Files;

/// <summary>Thrown by the file codecs and sessions on malformed, over-limit or hostile input; ends only the stream it came on.</summary>
public sealed class FileProtocolException(string message) : Exception(message);
