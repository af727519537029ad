// Core/Unicode: the shared Unicode policy on a table of hostile strings: names refused, display text neutralised, look-alikes found.
using P2PChat.Core.Unicode;
using Xunit;

namespace P2PChat.Core.Tests.Unicode;

public sealed class UnicodePolicyTests
{
    /// <summary>Hostile nicknames found by probing, and why each must be refused.</summary>
    public static TheoryData<string, string> HostileNames => new()
    {
        { "ali\u202Ece", "right-to-left override" },
        { "ali\u2067ce\u2069", "isolate" },
        { "\u200Falice", "right-to-left mark" },
        { "ali\u200Bce", "zero width space" },
        { "ali\u200Dce", "zero width joiner" },
        { "ali\u2060ce", "word joiner" },
        { "alice\U000E0041\U000E0042", "tag characters" },
        { "ali\u2028ce", "line separator" },
        { "ali\u2029ce", "paragraph separator" },
        { "\uFEFFalice", "byte order mark" },
        { "\u3164", "Hangul filler" },
        { "a\u115Fb", "Hangul choseong filler" },
        { "a\uFFA0b", "halfwidth Hangul filler" },
        { "ali\u00ADce", "soft hyphen" },
        { "ali\u034Fce", "combining grapheme joiner" },
        { "a\u180Eb", "Mongolian vowel separator" },
        { "al\uFE0Fice", "variation selector" },
        { "a\u001B[31mb", "ESC" },
        { "a\u0007", "BEL" },
        { "a\u0000b", "NUL" },
        { "a\u009Bb", "C1 CSI" },
        { "a\tb", "tab" },
        { "a\nb", "newline" },
        { " alice", "leading space" },
        { "alice ", "trailing space" },
        { "a\u00A0b", "no-break space" },
        { "a\u3000b", "ideographic space" },
        { "a\uE000b", "private use" },
        { "a\u0378b", "unassigned" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Hostile_names_are_refused(string name, string why) =>
        Assert.True(UnicodePolicy.NameProblem(name) is not null, $"{why} was accepted");

    [Theory]
    [InlineData("Bob")]
    [InlineData("Zoë Müller")]
    [InlineData("Пётр")]
    [InlineData("李小龍")]
    [InlineData("محمد")]
    [InlineData("🦊 fox")]
    public void Ordinary_names_in_any_script_are_fine(string name) => Assert.Null(UnicodePolicy.NameProblem(name));

    [Theory]
    [InlineData("аlice", "alice")]          // Cyrillic а
    [InlineData("ALICE", "alice")]
    [InlineData("AIice", "alice")]          // capital I for l
    [InlineData("a1ice", "alice")]          // digit one for l
    [InlineData("rnallory", "mallory")]     // r n for m
    [InlineData("ｂｏｂ", "bob")]            // fullwidth
    [InlineData("𝐛𝐨𝐛", "bob")]             // mathematical bold
    [InlineData("bοb", "bob")]              // Greek omicron
    [InlineData("B0B", "bob")]              // zero for O
    public void Look_alikes_share_a_skeleton(string nickname, string username) => Assert.True(UnicodePolicy.LooksLike(nickname, username));

    [Theory]
    [InlineData("alicia", "alice")]
    [InlineData("bobby", "bob")]
    [InlineData("Пётр", "petr")]
    public void Different_names_do_not(string nickname, string username) => Assert.False(UnicodePolicy.LooksLike(nickname, username));

    [Fact]
    public void Display_text_keeps_what_is_visible_and_neutralises_the_rest()
    {
        Assert.Equal("héllo 世界 🦊\nnext", UnicodePolicy.ForDisplay("héllo 世界 🦊\r\nnext"));
        Assert.Equal("a\uFFFD[31mb\uFFFD]52;c;ZXZpbA==\uFFFD\uFFFD", UnicodePolicy.ForDisplay("a\u001B[31mb\u001B]52;c;ZXZpbA==\u0007\u0000"));
        Assert.Equal("\uFFFDevil\uFFFD", UnicodePolicy.ForDisplay("\u202Eevil\u202C"));
        foreach (var invisible in new[] { "\u200B", "\u200E", "\u2028", "\u2029", "\uFEFF", "\U000E0041", "\u3164", "\u2060" })
            Assert.Equal("a\uFFFDb", UnicodePolicy.ForDisplay($"a{invisible}b"));
        Assert.Equal("👨\u200D👩\u200D👧", UnicodePolicy.ForDisplay("👨\u200D👩\u200D👧"));   // an emoji family stays whole
        Assert.Equal("a\uFFFDb", UnicodePolicy.ForDisplay("a\u200Db"));                        // a joiner between letters does not
        Assert.Equal("a b\uFFFDc", UnicodePolicy.ForDisplay("a\tb\nc", keepNewlines: false));
        Assert.Equal("\uFFFD", UnicodePolicy.ForDisplay("\uD800"));                              // a lone surrogate
    }

    [Fact]
    public void Terminal_controls_are_found_but_tab_and_newline_are_not_controls_here()
    {
        Assert.True(UnicodePolicy.HasTerminalControls("x\u001B]52;c;ZXZpbA==\u0007"));
        Assert.True(UnicodePolicy.HasTerminalControls("\u0085"));
        Assert.False(UnicodePolicy.HasTerminalControls("line one\n\tline two"));
    }

    [Fact]
    public void The_table_is_the_uts39_ascii_prototypes()
    {
        Assert.Equal("15.0", ConfusablesTable.UnicodeVersion);
        Assert.Equal("a", ConfusablesTable.Prototypes[0x0430]);   // CYRILLIC SMALL LETTER A
        Assert.Equal("rn", ConfusablesTable.Prototypes['m']);
        Assert.All(ConfusablesTable.Prototypes.Values, v => Assert.True(v.All(char.IsAscii)));
    }
}
