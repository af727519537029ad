// What the four end-to-end parts share: the account's open keys, the one lock over them, and who we are.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.E2e;

/// <summary>
/// The crypto objects are not thread-safe: every part (<see cref="AccountKeyring"/>, <see cref="ContactTrust"/>,
/// <see cref="PairwiseMessages"/>, <see cref="GroupMessages"/>) takes <see cref="Gate"/> for each call, and persists
/// (sealed) after every change, before the result leaves it. Members ending in <c>Locked</c> expect the gate held.
/// </summary>
public sealed class E2eState(IEventSink events, TimeProvider time, string? profileFolder) : IDisposable
{
    public object Gate { get; } = new();
    public IEventSink Events => events;
    public TimeProvider Time => time;
    /// <summary>Where keys/USER/ lives; null: end-to-end encryption is off (plain PMs, for tests of other layers).</summary>
    public string? ProfileFolder => profileFolder;

    /// <summary>The signed-in account's keys, once open.</summary>
    public AccountKeys? Keys { get; set; }
    /// <summary>The username keys were opened for.</summary>
    public string Me { get; set; } = "";
    /// <summary>Why keys could not be opened at the last sign-in, if they could not.</summary>
    public string? OpenProblem { get; set; }

    public AccountKeys RequireOpen() => Keys ?? throw new CommandFailedException(PeerErrorCode.E2eUnavailable,
        OpenProblem ?? (profileFolder is null ? "end-to-end encryption is not set up (no profile folder)" : "sign in first: the keys open at sign-in"));

    /// <summary>The keys, or the reason a message cannot be read (turned into a decrypt_failed event).</summary>
    public AccountKeys OpenForReading() =>
        Keys ?? throw new CryptoProtocolException(CryptoFailure.InvalidState, OpenProblem ?? "no end-to-end keys are open");

    public static string StatusName(ContactKeyStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>A message that could not be read: a decrypt_failed event, and nothing to show.</summary>
    public DecryptedMessage? Failed(string from, Exception e, ulong messageId, bool offline)
    {
        var reason = e is CryptoProtocolException c ? $"{c.Reason}: {c.Message}" : "not valid UTF-8";
        events.Publish(new DecryptFailedEvent(from, reason, messageId, offline));
        return null;
    }

    public void Dispose()
    {
        lock (Gate)
        {
            Keys?.Dispose();
            Keys = null;
        }
    }
}

/// <summary>A decrypted message; Text is null for a control message (a sender key), which is not shown.</summary>
public sealed record DecryptedMessage(string? Text, string KeyStatus);
