// Slash commands only the terminal UI has (buffers are a screen thing); registered with the shared ones.
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using P2PChat.Peer.History;
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Binding;

public static class TuiCommands
{
    /// <summary>/close, /clear and /query acting on <paramref name="state"/>; /help and Tab completion list them.</summary>
    public static IReadOnlyList<CommandSpec> For(ChatViewState state) =>
    [
        new("close", [new Param("BUFFER", ParamKind.OptionalWord)], "close a buffer (the current one by default); its history stays",
            (_, a, _) => Close(state, a.Optional("BUFFER") ?? state.CurrentBufferId)),
        new("clear", [], "clear the current buffer on screen (its history stays)",
            (_, _, _) => Run(() => state.ClearBuffer(state.CurrentBufferId))),
        new("query", [new Param("USER", ParamKind.Word)], "open a private conversation with USER",
            (_, a, _) => Run(() => Query(state, a["USER"].TrimStart('@')))),
    ];

    private static Task Close(ChatViewState state, string bufferId)
    {
        if (BufferIds.KindOf(bufferId) == BufferKind.General || !state.HasBuffer(bufferId))
            throw new CommandFailedException(PeerErrorCode.BadArguments, $"{bufferId} can not be closed");
        state.CloseBuffer(bufferId);
        return Task.CompletedTask;
    }

    private static void Query(ChatViewState state, string user)
    {
        state.OpenBuffer(HistoryBuffers.ForTarget(user), switchTo: true);
        state.SetRoute(user, PeerRoute.Server);
    }

    private static Task Run(Action action)
    {
        action();
        return Task.CompletedTask;
    }
}
