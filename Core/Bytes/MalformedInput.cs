// The one error convention of the byte readers: what went wrong, and the exception the reading layer throws for it.
namespace P2PChat.Core.Bytes;

/// <summary>Why bytes could not be read.</summary>
public enum MalformedKind
{
    /// <summary>The input ends before the field does.</summary>
    Truncated,
    /// <summary>Bytes remain after the last field.</summary>
    TrailingBytes,
    /// <summary>A field holds a value it may not (e.g. a flag that is neither 0 nor 1).</summary>
    InvalidValue,
}

/// <summary>
/// Makes the exception a reader throws. Each layer passes its own (the crypto formats a <c>CryptoProtocolException</c>,
/// the peer's stored records theirs), so a layer's callers catch one exception type whatever the reader found;
/// without one, <see cref="MalformedInputException"/> is thrown.
/// </summary>
public delegate Exception MalformedInput(MalformedKind kind, string message);

/// <summary>The default of <see cref="MalformedInput"/>.</summary>
public sealed class MalformedInputException(MalformedKind kind, string message) : FormatException(message)
{
    public MalformedKind Kind { get; } = kind;

    public static readonly MalformedInput Throw = static (kind, message) => new MalformedInputException(kind, message);
}
