// What happens to a line typed in the TUI: a /command goes to the shared command layer, text to the current buffer.
using P2PChat.Peer.Commands;
using P2PChat.Peer.History;
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// "/name args" runs through <see cref="CommandDispatcher"/> (errors come back as error events, shown inline);
/// a command that stops the peer (/quit) closes the UI. Other text is sent as "/msg TARGET text" to the current
/// buffer's channel or user; "//text" sends "/text" literally. The local echo comes from the /msg hook.
/// A "/whois USER" line is noted in <paramref name="whois"/> first, so the binder shows the answer.
/// </summary>
public sealed class InputRouter(ChatViewState state, CommandDispatcher dispatcher, PendingWhois? whois = null)
{
    public async Task SubmitAsync(string line, CancellationToken ct)
    {
        if (line.StartsWith('/') && !line.StartsWith("//", StringComparison.Ordinal))
        {
            whois?.Observe(line);
            if (!await dispatcher.RunAsync(line, ct).ConfigureAwait(false)) state.RequestQuit();
            return;
        }
        var text = line.StartsWith("//", StringComparison.Ordinal) ? line[1..] : line;
        if (text.Trim().Length == 0) return;
        var buffer = state.CurrentBufferId;
        if (HistoryBuffers.TargetOf(buffer) is not { } target)
        {
            state.Error($"nothing can be sent to {buffer} yet");
            return;
        }
        await dispatcher.RunAsync($"/{SentMessageHook.MessageCommand} {target} {text}", ct).ConfigureAwait(false);
    }
}
