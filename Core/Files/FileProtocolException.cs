// A peer broke the file transfer protocol, or an offer cannot be accepted as it stands; the message says why.
namespace P2PChat.Core.Files;

/// <summary>Thrown by the file codecs and sessions on malformed, over-limit or hostile input; ends only the stream it came on.</summary>
public sealed class FileProtocolException(string message) : Exception(message)
{
    /// <summary>The transfer the bad input belongs to, when it could be read (so an offer can be rejected by id).</summary>
    public TransferId? Id { get; init; }
}
