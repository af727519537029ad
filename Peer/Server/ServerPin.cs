// Trust-on-first-use pinning of the server's TLS certificate: the decision, kept apart from sockets and TLS.
using P2PChat.Core.Framing;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <param name="Pinned">the fingerprint stored in the profile, if any.</param>
/// <param name="Expected">the fingerprint given with --server-fingerprint, if any; it wins over the pin.</param>
public sealed record ServerPin(string? Pinned, string? Expected)
{
    /// <summary>
    /// Decision table: Expected given → accept only that certificate (Matched if it is also the pin, else Replaced);
    /// no Expected and no pin → FirstUse; a pin → Matched when equal, else Refused.
    /// </summary>
    public PinOutcome Check(string presented)
    {
        if (Expected is not null)
        {
            if (!CertificateFingerprint.Matches(presented, Expected)) return PinOutcome.Refused;
            return Pinned is not null && CertificateFingerprint.Matches(presented, Pinned) ? PinOutcome.Matched : PinOutcome.Replaced;
        }
        if (Pinned is null) return PinOutcome.FirstUse;
        return CertificateFingerprint.Matches(presented, Pinned) ? PinOutcome.Matched : PinOutcome.Refused;
    }

    /// <summary>The message shown when <see cref="Check"/> refuses <paramref name="presented"/>: both fingerprints and how to accept the new one.</summary>
    public string RefusalMessage(string presented) => Expected is not null
        ? $"the server's certificate {presented} is not the one given with --server-fingerprint ({Expected}); refusing to connect"
        : $"the server's certificate has changed: pinned {Pinned}, presented {presented}. " +
          $"This may be an attack. If you trust the new certificate, start again with --server-fingerprint {presented}";
}
