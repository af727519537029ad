// Assertion helper: the action must be refused with a CryptoProtocolException (optionally a given reason).
using P2PChat.Core.Crypto;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Support;

internal static class Rejection
{
    public static CryptoProtocolException Expect(Action action, CryptoFailure? reason = null)
    {
        var error = Assert.Throws<CryptoProtocolException>(action);
        if (reason is { } expected) Assert.Equal(expected, error.Reason);
        return error;
    }
}
