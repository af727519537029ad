// When the client reconnects by itself after losing the server, and how long it waits before each attempt.
using P2PChat.Core.Protocol;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>
/// Backoff: attempt n (from 1) waits <see cref="FirstDelay"/> × 2^(n-1), capped at <see cref="MaxDelay"/>, then scaled by a
/// jitter factor in [1 − <see cref="Jitter"/>, 1 + <see cref="Jitter"/>] drawn from <see cref="Random"/> (a value in [0, 1)).
/// No reconnect after our own /quit, an admin kick (16), a ban (23), being signed in elsewhere (15), a refused
/// certificate, or a refused sign-in (3 unknown user, 4 wrong password, 24 logins blocked).
/// </summary>
public sealed record ReconnectPolicy
{
    public bool Enabled { get; init; } = true;
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The jitter's half-width as a fraction of the delay (0.2: ±20 %).</summary>
    public double Jitter { get; init; } = 0.2;
    /// <summary>Returns a value in [0, 1); 0.5 means no jitter.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>The wait before attempt <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var doublings = Math.Clamp(attempt - 1, 0, 30);
        var ms = Math.Min(FirstDelay.TotalMilliseconds * Math.Pow(2, doublings), MaxDelay.TotalMilliseconds);
        var factor = 1 + Jitter * (2 * Random() - 1);
        return TimeSpan.FromMilliseconds(Math.Round(ms * factor));
    }

    /// <summary>Whether a connection closed with the server's status <paramref name="code"/> (if any) may be reopened.</summary>
    public static bool MayReconnectAfter(int? code) => code is not (
        (int)StatusCode.SignedInElsewhere or (int)StatusCode.Kicked or (int)StatusCode.Banned
        or (int)StatusCode.UnknownUser or (int)StatusCode.WrongPassword or (int)StatusCode.LoginsBlocked
        or (int)PeerErrorCode.CertificateRejected);

    /// <summary>Whether a refused sign-in ends the automatic attempts (the password or the account is no longer good).</summary>
    public static bool SignInRefusalIsFinal(StatusCode code) =>
        code is StatusCode.UnknownUser or StatusCode.WrongPassword or StatusCode.LoginsBlocked or StatusCode.Banned;
}
