// The field rules of docs/protocol.md, at their edges.
using P2PChat.Rendezvous.Validation;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Validation;

public sealed class FieldRulesTests
{
    [Theory]
    [InlineData("abc", true)]
    [InlineData("ab", false)]
    [InlineData("a_b.c-d", true)]
    [InlineData("with space", false)]
    [InlineData("ünï", false)]
    public void Username(string v, bool ok) => Assert.Equal(ok, FieldRules.Username(v) is null);

    [Fact]
    public void Username_is_at_most_32_characters()
    {
        Assert.Null(FieldRules.Username(new string('a', 32)));
        Assert.NotNull(FieldRules.Username(new string('a', 33)));
    }

    [Theory]
    [InlineData("1234567", false)]
    [InlineData("12345678", true)]
    [InlineData("éééé", true)]          // 8 bytes of UTF-8
    public void Password_counts_bytes(string v, bool ok) => Assert.Equal(ok, FieldRules.Password(v) is null);

    [Theory]
    [InlineData("", true)]
    [InlineData("a@b", true)]
    [InlineData("@b", false)]
    [InlineData("a@", false)]
    [InlineData("a b@c", false)]
    public void Email(string v, bool ok) => Assert.Equal(ok, FieldRules.Email(v) is null);

    [Theory]
    [InlineData("", true)]
    [InlineData("2000-02-29", true)]
    [InlineData("2001-02-29", false)]
    [InlineData("2026-01-01", false)]   // today is not in the past
    [InlineData("1.2.2000", false)]
    public void Birth_date(string v, bool ok) =>
        Assert.Equal(ok, FieldRules.BirthDate(v, new DateOnly(2026, 1, 1), out _) is null);

    [Theory]
    [InlineData("general", true)]
    [InlineData("a-b_c", true)]
    [InlineData("a.b", false)]
    [InlineData("", false)]
    public void Channel_name(string v, bool ok) => Assert.Equal(ok, FieldRules.ChannelName(v) is null);

    [Theory]
    [InlineData("Bob", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("tab\there", false)]
    public void Nickname(string v, bool ok) => Assert.Equal(ok, FieldRules.Nickname(v) is null);
}
