// The file commands: /send, /accept, /reject, /transfers, /cancel (docs/headless.md).
using P2PChat.Peer.Events;
using P2PChat.Peer.Commands;

namespace P2PChat.Peer.Files;

public static class FileCommands
{
    public static IReadOnlyList<CommandSpec> For(FileTransfers files) =>
    [
        new("send", [new("USER", ParamKind.Word), new("PATH", ParamKind.OptionalText)],
            "offer a file or a whole folder to USER (queued while they are offline); without PATH the TUI opens a file browser",
            async (_, a, ct) =>
            {
                var path = a.Optional("PATH") ?? throw new CommandFailedException((int)FileErrorCode.CannotRead, "give a PATH to send (the TUI's file browser opens on /send USER)");
                await Run(() => files.SendAsync(a["USER"], path.Trim().Trim('"'), ct)).ConfigureAwait(false);
            }),
        new("accept", [new("ID", ParamKind.Word), new("FOLDER", ParamKind.OptionalText)],
            "accept a file offer (any unique prefix of its id); saves into FOLDER or the download folder",
            (_, a, _) => Run(() => files.Accept(a["ID"], a.Optional("FOLDER")?.Trim().Trim('"')))),
        new("reject", [new("ID", ParamKind.Word)], "reject a file offer; the sender is told",
            (_, a, _) => Run(() => files.Reject(a["ID"]))),
        new("cancel", [new("ID", ParamKind.Word)], "stop a transfer (either side); the other side is told",
            (_, a, _) => Run(() => files.Cancel(a["ID"]))),
        new("transfers", [], "list file transfers with their state and progress",
            (c, _, _) => { c.Events.Publish(files.List()); return Task.CompletedTask; }),
    ];

    private static Task Run(Action action) => Run(() => { action(); return Task.CompletedTask; });

    private static async Task Run(Func<Task> action)
    {
        try { await action().ConfigureAwait(false); }
        catch (FileTransferException e) { throw new CommandFailedException((int)e.Code, e.Message); }
    }
}
