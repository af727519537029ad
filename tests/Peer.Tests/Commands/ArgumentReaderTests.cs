// Tests the quoting rules of command arguments.
using P2PChat.Peer.Server;
using P2PChat.Peer.Commands;
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Commands;

public sealed class ArgumentReaderTests
{
    private static List<string> Words(string text)
    {
        var reader = new ArgumentReader(text);
        var words = new List<string>();
        while (reader.NextWord() is { } w) words.Add(w);
        return words;
    }

    [Fact]
    public void Words_are_separated_by_spaces_and_tabs() =>
        Assert.Equal(["alice", "secret", "x"], Words("  alice \t secret   x "));

    [Fact]
    public void Double_quotes_group_and_are_dropped() =>
        Assert.Equal(["New York", "location=Saint Malo", "ab"], Words("\"New York\" location=\"Saint Malo\" a\"\"b"));

    [Fact]
    public void Backslash_escapes_quote_and_backslash_only_inside_quotes() =>
        Assert.Equal(["say \"hi\" \\o/", @"c:\dir"], Words(@"""say \""hi\"" \\o/"" c:\dir"));

    [Fact]
    public void An_unclosed_quote_is_an_error()
    {
        var e = Assert.Throws<CommandFailedException>(() => Words("\"open"));
        Assert.Equal((int)PeerErrorCode.BadArguments, e.Code);
    }

    [Fact]
    public void Rest_is_verbatim_after_the_words_read()
    {
        var reader = new ArgumentReader(" bob   hello  \"world\"  ");
        Assert.Equal("bob", reader.NextWord());
        Assert.Equal("hello  \"world\"", reader.Rest());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("q\"uo\\te\\")]
    [InlineData("")]
    public void Quote_round_trips(string word) => Assert.Equal([word], Words(ArgumentReader.Quote(word)));
}
