// The one exception type for "rejected" outcomes of the crypto layer; never carries partial plaintext.
namespace P2PChat.Core.Crypto;

/// <summary>Thrown when input is rejected. <see cref="Reason"/> says why; the message is for logs only.</summary>
public sealed class CryptoProtocolException : Exception
{
    public CryptoProtocolException(CryptoFailure reason, string message, Exception? inner = null)
        : base($"{reason}: {message}", inner) => Reason = reason;

    public CryptoFailure Reason { get; }
}
