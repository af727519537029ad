// Tests that untrusted text cannot carry terminal control sequences.
using P2PChat.Peer.Tui.Text;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Text;

public sealed class TextSanitizerTests
{
    [Fact]
    public void Escape_and_bell_are_replaced()
    {
        var clean = TextSanitizer.Clean("hi\e[2J\athere");
        Assert.DoesNotContain('\e', clean);
        Assert.DoesNotContain('\a', clean);
        Assert.Equal("hi\uFFFD[2J\uFFFDthere", clean);
    }

    [Fact]
    public void Newlines_are_kept_only_when_asked_and_tabs_become_spaces()
    {
        Assert.Equal("a\nb c", TextSanitizer.Clean("a\r\nb\tc"));
        Assert.Equal("a\uFFFDb", TextSanitizer.Clean("a\nb", keepNewlines: false));
    }

    [Fact]
    public void Bidi_overrides_and_C1_controls_are_replaced() =>
        Assert.Equal("\uFFFDabc\uFFFD", TextSanitizer.Clean("\u202Eabc\u009B"));

    [Fact]
    public void Clean_text_is_returned_as_is()
    {
        const string text = "plain 日本 🎉";
        Assert.Same(text, TextSanitizer.Clean(text));
    }
}
