// The /links and /set direct commands.
using P2PChat.Core.Links;
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Links;

public static class LinkCommands
{
    public static IReadOnlyList<CommandSpec> For(PeerLinks links) =>
    [
        new("link", [new Param("USER", ParamKind.Word)], "open a direct link to USER now (PMs open one by themselves); reported as a link event",
            async (c, args, ct) =>
            {
                var user = c.Session.Directory.FindUser(args["USER"])
                    ?? throw new CommandFailedException(PeerErrorCode.BadArguments, $"{args["USER"]} is not known here (not online, or /whois them first)");
                try { await links.ConnectAsync(user.Tag, ct).ConfigureAwait(false); }
                catch (ContactLinkUnavailableException e) { throw new CommandFailedException(PeerErrorCode.LinkUnavailable, e.Message); }
            }),
        new("links", [], "list your direct links: peer, route (direct/relay), how (lan/reflexive/mapped/relay), RTT",
            (c, _, _) => { c.Events.Publish(links.List()); return Task.CompletedTask; }),
        new("set", [new Param("SETTING", ParamKind.Word, ["direct"]), new Param("VALUE", ParamKind.Word, ["friends", "everyone", "nobody"])],
            "who may learn your address for direct links: friends (default), everyone, or nobody (always relayed)",
            async (c, args, ct) =>
            {
                var setting = DirectSettingFile.Parse(args["VALUE"])
                    ?? throw new CommandFailedException(PeerErrorCode.BadArguments, "direct is friends, everyone or nobody");
                await links.SetDirectAsync(setting, ct).ConfigureAwait(false);
                c.Events.Publish(new DirectSettingEvent(DirectSettingFile.Name(setting)));
            }),
    ];
}
