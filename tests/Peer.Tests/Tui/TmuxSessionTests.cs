// Proves the tmux helper: a program runs at a given size, receives typed keys, its screen is captured, it resizes.
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Tui;

public sealed class TmuxSessionTests
{
    [Fact]
    public async Task Runs_a_command_types_into_it_captures_and_resizes()
    {
        TmuxSession.RequireTmux();
        var ct = TestContext.Current.CancellationToken;
        await using var tmux = await TmuxSession.StartAsync("bash --norc --noprofile -c 'read x; echo got:$x; read y'", 80, 24, ct);

        await tmux.TypeAsync("hello 🎉", ct);
        await tmux.SendKeysAsync(ct, "Enter");
        var screen = await tmux.WaitForTextAsync("got:hello 🎉", ct);
        Assert.Contains("got:hello 🎉", screen);

        Assert.Equal((80, 24), await tmux.SizeAsync(ct));
        await tmux.ResizeAsync(120, 40, ct);
        Assert.Equal((120, 40), await tmux.SizeAsync(ct));
    }
}
