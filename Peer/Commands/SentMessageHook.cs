// Lets a front end learn of each message the user sent (target and text), for history and the local echo.
namespace P2PChat.Peer.Commands;

public static class SentMessageHook
{
    public const string MessageCommand = "msg";

    /// <summary>
    /// The same commands with /msg wrapped: once the session has sent the message (it threw nothing),
    /// <paramref name="onSent"/> gets the target as typed ("#rust" or a username) and the text. Its first
    /// parameter is the target and its second the text, as in <see cref="BuiltInCommands"/>.
    /// </summary>
    public static IEnumerable<CommandSpec> Around(IEnumerable<CommandSpec> commands, Action<string, string> onSent) =>
        commands.Select(c => c.Name != MessageCommand ? c : c with
        {
            Run = async (context, args, ct) =>
            {
                await c.Run(context, args, ct).ConfigureAwait(false);
                onSent(args[c.Params[0].Name], args[c.Params[1].Name]);
            },
        });
}
