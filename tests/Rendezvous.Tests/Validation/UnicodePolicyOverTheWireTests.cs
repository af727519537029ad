// The Unicode policy at the server: look-alike and invisible nicknames refused, terminal controls in channel text refused.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Validation;

public sealed class UnicodePolicyOverTheWireTests
{
    [Theory]
    [InlineData("аdmin")]            // Cyrillic а: looks like the admin's username
    [InlineData("ADMIN")]
    [InlineData("adrnin")]           // r n for m
    [InlineData("bob")]              // simply another user's username
    [InlineData("ad\u200Bmin")]      // zero width space
    [InlineData("\u202Enimda")]      // right-to-left override
    [InlineData("admin\U000E0020")]  // tag character
    [InlineData("\u3164")]           // Hangul filler: an "empty" name
    [InlineData("a\u2028b")]
    public async Task Hostile_nicknames_are_refused(string nickname)
    {
        await using var server = await TestServer.StartAsync();
        await server.RegisteredAsync("admin");
        await server.RegisteredAsync("bob");
        await using var mallory = await server.SignedInAsync("mallory");
        await mallory.SendAsync(new Nick(nickname));
        var refused = await mallory.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Nick);
        Assert.Equal(StatusCode.InvalidField, refused.Code);

        await using var c = await server.ConnectAsync();
        await c.SendAsync(new Register("mallory2", "password1", Nickname: nickname));
        Assert.Equal(StatusCode.InvalidField, (await c.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Register)).Code);
    }

    [Fact]
    public async Task A_nickname_may_look_like_ones_own_username_and_be_in_any_script()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        foreach (var nickname in new[] { "ALICE", "аlice", "Алиса", "Zoë 🦊" })
        {
            await alice.SendAsync(new Nick(nickname));
            await alice.ExpectAsync<AddUser>(u => u.Tag == alice.Tag && u.Nickname == nickname);
        }
    }

    [Theory]
    [InlineData("\u001B[2J\u001B[Hfake prompt")]         // clear screen, cursor home
    [InlineData("\u001B]52;c;cm0gLXJmIH4=\u0007")]       // OSC 52: write the clipboard
    [InlineData("ding\u0007")]
    [InlineData("cut\u0000here")]
    [InlineData("\u009B31m")]                            // C1 CSI
    public async Task Terminal_controls_in_channel_text_are_refused(string text)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        var refused = await alice.MessageRefusedAsync(Tag.General, System.Text.Encoding.UTF8.GetBytes(text));
        Assert.Equal(StatusCode.InvalidField, refused.Code);
        await alice.MessageAsync(Tag.General, "fine:\tcolumns\nand lines, émoji 🦊");
        Assert.Equal("fine:\tcolumns\nand lines, émoji 🦊", TestClient.Text(await bob.ExpectAsync<MsgDeliver>()));   // the first bob gets
    }

    [Fact]
    public async Task Invalid_utf8_in_clear_channel_text_is_refused_but_encrypted_channel_data_is_opaque()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        Assert.Equal(StatusCode.InvalidField, (await alice.MessageRefusedAsync(Tag.General, [0xC3, 0x28])).Code);
        var room = await alice.CreateChannelAsync("room", ChannelFlags.InviteOnly);
        await alice.SendAsync(new MsgSend(room, new byte[] { 0x1B, 0x00, 0x9B }, 77, MessageFlags.Encrypted));
        await alice.ExpectAsync<MsgAck>(a => a.RequestId == 77);
    }
}
