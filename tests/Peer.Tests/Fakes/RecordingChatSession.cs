// A fake IChatSession that records each call as a line of text, for testing the command layer without a server.
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;

namespace P2PChat.Peer.Tests.Fakes;

public sealed class RecordingChatSession : IChatSession
{
    private readonly List<string> _calls = [];

    public IReadOnlyList<string> Calls { get { lock (_calls) return [.. _calls]; } }
    public ClientDirectory Directory { get; } = new();
    public bool IsConnected { get; set; } = true;
    public bool IsSignedIn { get; set; } = true;

    /// <summary>When set, every call throws it (after being recorded).</summary>
    public CommandFailedException? Failure { get; set; }

    private Task Record(string call)
    {
        lock (_calls) _calls.Add(call);
        return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
    }

    public Task ConnectAsync(CancellationToken ct) => Record("connect");
    public Task RegisterAsync(Register f, CancellationToken ct) =>
        Record($"register {f.Username} {f.Password} email={f.Email} nickname={f.Nickname} fullname={f.FullName} birthdate={f.BirthDate} gender={f.Gender} location={f.Location}");
    public Task LoginAsync(string username, string password, CancellationToken ct) => Record($"login {username} {password}");
    public Task NickAsync(string nickname, CancellationToken ct) => Record($"nick {nickname}");
    public Task AwayAsync(string? text, CancellationToken ct) => Record($"away {text ?? "<back>"}");
    public Task SendTextAsync(string target, string text, CancellationToken ct) => Record($"msg {target} {text}");
    public Task CreateChannelAsync(string channel, bool inviteOnly, CancellationToken ct) => Record($"create {channel} {inviteOnly}");
    public Task JoinAsync(string channel, CancellationToken ct) => Record($"join {channel}");
    public Task InviteAsync(string username, string channel, CancellationToken ct) => Record($"invite {username} {channel}");
    public Task LeaveAsync(string channel, CancellationToken ct) => Record($"leave {channel}");
    public Task TopicAsync(string channel, string topic, CancellationToken ct) => Record($"topic {channel} {topic}");
    public Task WhoAsync(string channel, CancellationToken ct) => Record($"who {channel}");
    public Task WhoisAsync(string username, CancellationToken ct) => Record($"whois {username}");
    public Task FriendAsync(FriendAction action, string username, CancellationToken ct) => Record($"friend {action} {username}");
    public Task FriendsAsync(CancellationToken ct) => Record("friends");
    public Task IgnoreAsync(string username, bool on, CancellationToken ct) => Record($"ignore {username} {on}");
    public Task BuzzAsync(string username, CancellationToken ct) => Record($"buzz {username}");
    public Task KickAsync(string username, string? channel, CancellationToken ct) => Record($"kick {username} {channel ?? "<server>"}");
    public Task BanAsync(string username, uint minutes, CancellationToken ct) => Record($"ban {username} {minutes}");
    public Task QuitAsync(CancellationToken ct) => Record("quit");
}
