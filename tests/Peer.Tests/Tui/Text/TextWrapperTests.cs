// Tests of word wrapping by cell width: word breaks, long words, newlines, wide chars and emoji.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Peer.Tui.Text;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Text;

public sealed class TextWrapperTests
{
    [Fact]
    public void Wraps_at_spaces_and_drops_the_space_at_the_break()
    {
        Assert.Equal(["the quick", "brown fox"], TextWrapper.Wrap("the quick brown fox", 10));
    }

    [Fact]
    public void Breaks_a_word_longer_than_the_line()
    {
        Assert.Equal(["abcde", "fghij", "k"], TextWrapper.Wrap("abcdefghijk", 5));
    }

    [Fact]
    public void Newlines_force_breaks_and_empty_lines_survive()
    {
        Assert.Equal(["one", "", "two"], TextWrapper.Wrap("one\n\ntwo", 20));
    }

    [Fact]
    public void Wide_chars_count_two_cells()
    {
        var lines = TextWrapper.Wrap("日本語のテキスト", 5);
        Assert.Equal(["日本", "語の", "テキ", "スト"], lines);
        Assert.All(lines, l => Assert.True(CellText.Width(l) <= 5));
    }

    [Fact]
    public void Emoji_stay_whole_across_breaks()
    {
        var lines = TextWrapper.Wrap("🎉🎉🎉 👍🏽👍🏽", 5);
        Assert.Equal(["🎉🎉", "🎉", "👍🏽👍🏽"], lines);
        Assert.DoesNotContain(lines, l => l.Length > 0 && char.IsLowSurrogate(l[0]));
    }

    [Fact]
    public void An_element_wider_than_the_line_still_gets_its_own_line()
    {
        Assert.Equal(["🎉", "a"], TextWrapper.Wrap("🎉a", 1));
    }

    [Fact]
    public void Empty_text_is_one_empty_line() => Assert.Equal([""], TextWrapper.Wrap("", 10));

    [Fact]
    public void Every_line_fits_and_no_visible_char_is_lost()
    {
        var chars = Gen.Elements('a', 'b', ' ', ' ', '日', 'é', '\n');
        var texts = Gen.ArrayOf(chars).Select(cs => new string(cs)).ToArbitrary();
        var widths = Gen.Choose(1, 30).ToArbitrary();
        Prop.ForAll(texts, widths, (text, width) =>
        {
            var lines = TextWrapper.Wrap(text, width);
            bool fits = lines.All(l => CellText.Width(l) <= Math.Max(width, 2));
            string Visible(string s) => new(s.Where(c => c != ' ' && c != '\n').ToArray());
            return fits && Visible(string.Concat(lines)) == Visible(text);
        }).QuickCheckThrowOnFailure();
    }
}
