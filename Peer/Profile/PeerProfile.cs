// What a peer remembers between runs in its profile folder: the server, the last username and the pinned certificate.
namespace P2PChat.Peer.Profile;

/// <summary>
/// The contents of <c>profile.json</c>. Never holds a password.
/// <c>ServerFingerprint</c> is the SHA-256 fingerprint pinned on first use (see <c>CertificateFingerprint</c>).
/// </summary>
public sealed record PeerProfile(string? Server = null, string? Username = null, string? ServerFingerprint = null);
