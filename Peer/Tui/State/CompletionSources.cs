// What Tab completion may complete to: command names, nicks and channel ids.
namespace P2PChat.Peer.Tui.State;

public sealed record CompletionSources(IReadOnlyList<string> Commands, IReadOnlyList<string> Nicks, IReadOnlyList<string> Channels);
