// What the command layer can ask of the peer: one method per user action; answers arrive as events.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Session;

/// <summary>
/// The one facade commands call (implemented by <see cref="ChatSession"/>). Every method sends its request and returns once it is sent (after resolving names it does not know yet);
/// the server's answer arrives later as an event. Methods throw <see cref="CommandFailedException"/> when the request
/// cannot be sent (not connected, not signed in, unknown name). User names are usernames; channel names may carry '#'.
/// </summary>
public interface IChatSession
{
    ClientDirectory Directory { get; }
    bool IsConnected { get; }
    bool IsSignedIn { get; }

    Task ConnectAsync(CancellationToken ct);
    Task RegisterAsync(Register form, CancellationToken ct);
    Task LoginAsync(string username, string password, CancellationToken ct);
    Task NickAsync(string nickname, CancellationToken ct);
    /// <summary>Away with <paramref name="text"/>, or back (online) when it is null or empty.</summary>
    Task AwayAsync(string? text, CancellationToken ct);
    /// <param name="target">a username or "#channel".</param>
    Task SendTextAsync(string target, string text, CancellationToken ct);
    Task CreateChannelAsync(string channel, bool inviteOnly, CancellationToken ct);
    Task JoinAsync(string channel, CancellationToken ct);
    Task InviteAsync(string username, string channel, CancellationToken ct);
    Task LeaveAsync(string channel, CancellationToken ct);
    Task TopicAsync(string channel, string topic, CancellationToken ct);
    /// <summary>Asks for a channel's member list (a members event follows).</summary>
    Task WhoAsync(string channel, CancellationToken ct);
    /// <summary>Publishes what is known about a user (a user event), asking the server if need be.</summary>
    Task WhoisAsync(string username, CancellationToken ct);
    Task FriendAsync(FriendAction action, string username, CancellationToken ct);
    /// <summary>Asks for the friend list (a friends event follows).</summary>
    Task FriendsAsync(CancellationToken ct);
    Task IgnoreAsync(string username, bool on, CancellationToken ct);
    Task BuzzAsync(string username, CancellationToken ct);
    /// <summary>Kicks from <paramref name="channel"/> (operators), or off the server when it is null (admins).</summary>
    Task KickAsync(string username, string? channel, CancellationToken ct);
    /// <summary>Bans for <paramref name="minutes"/> (0 lifts the ban). Admins only.</summary>
    Task BanAsync(string username, uint minutes, CancellationToken ct);
    /// <summary>Says goodbye to the server and closes the connection.</summary>
    Task QuitAsync(CancellationToken ct);

    // End-to-end trust (docs/security.md 1.7). Defaults refuse, for sessions without end-to-end encryption.
    /// <summary>Publishes one's own identity fingerprint (a fingerprint event).</summary>
    Task FingerprintAsync(CancellationToken ct) => throw NoE2e();
    /// <summary>Publishes the safety number with a contact (a contact_key event).</summary>
    Task SafetyAsync(string username, CancellationToken ct) => throw NoE2e();
    /// <summary>Marks a contact's key verified if <paramref name="safetyNumber"/> is the pair's; releases held messages.</summary>
    Task VerifyAsync(string username, string safetyNumber, CancellationToken ct) => throw NoE2e();
    /// <summary>Accepts a contact's changed key; releases held messages.</summary>
    Task TrustAsync(string username, CancellationToken ct) => throw NoE2e();

    private static CommandFailedException NoE2e() => new(PeerErrorCode.E2eUnavailable, "this client has no end-to-end encryption");
}
