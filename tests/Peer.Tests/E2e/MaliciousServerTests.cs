// A hostile server (the test plays it) modifies, replays, reorders, drops and forges ciphertext and swaps keys: nothing forged is accepted as genuine.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Ratchet;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.E2e;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class MaliciousServerTests : IAsyncLifetime
{
    private const string Password = "correct horse";
    private readonly FakeServer _server = new();
    private ScriptedPeer _alice = null!, _bob = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _alice = ScriptedPeer.Create(_server, "alice", Tag.User(1));
        _bob = ScriptedPeer.Create(_server, "bob", Tag.User(2));
        await _alice.SignInAsync(_server, Password);
        await _bob.SignInAsync(_server, Password, _alice.Describe());
        await _alice.Session.SendAsync(_bob.Describe());
        await _alice.Events.WaitForAsync<UserEvent>(u => u.User == "bob");
    }

    public async ValueTask DisposeAsync()
    {
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>alice sends a PM to bob; the server answers her BUNDLE honestly when she needs one. Returns the envelope she sent.</summary>
    private static async Task<byte[]> SendAsync(ScriptedPeer from, ScriptedPeer to, string text, Bundle? bundle = null)
    {
        var sending = from.Client.SendTextAsync(to.Name, text, Ct);
        var frame = await from.Session.ReadAnyAsync();
        if (frame is BundleRequest request)
        {
            Assert.Equal(to.Tag, request.User);
            await from.Session.SendAsync(bundle ?? to.HonestBundle());
            frame = await from.Session.ReadAnyAsync();
        }
        await sending;
        var msg = Assert.IsType<MsgSend>(frame);
        Assert.Equal((to.Tag, MessageFlags.Encrypted), (msg.To, msg.Flags));
        return msg.Data.ToArray();
    }

    /// <summary>alice runs /trust bob while the server hands out <paramref name="key"/>'s bundle; returns the texts of the released PMs, opened with that key.</summary>
    private async Task<List<string?>> TrustAndOpenReleasedAsync(IdentityKeyPair key, int count)
    {
        using var prekey = PrekeyPair.CreateSigned(key, 9);
        var trust = _alice.Client.TrustAsync("bob", Ct);
        Assert.Equal(_bob.Tag, (await _alice.Session.ReadAsync<BundleRequest>()).User);
        await _alice.Session.SendAsync(new Bundle(_bob.Tag, key.Public.Encode(), prekey.ToSignedPublic().Encode(), []));
        var sent = new List<MsgSend>();
        for (var i = 0; i < count; i++) sent.Add(await _alice.Session.ReadAsync<MsgSend>());
        await trust;
        Assert.Equal(count, (await _alice.Events.WaitForAsync<ContactKeyEvent>()).Released);
        using var session = PairwiseSession.Accept(key, MessageEnvelope.Decode(sent[0].Data.Span), prekey, null, out var opened);
        return [PmPayload.DecodeText(opened), .. sent.Skip(1).Select(m => PmPayload.DecodeText(session.Decrypt(m.Data.Span)))];
    }

    private static void AssertGenuine(ClientEvent e, string text)
    {
        var m = Assert.IsType<MessageEvent>(e);
        Assert.Equal((text, true, "trusted"), (m.Text, m.E2e, m.KeyStatus));
    }

    private static byte[] Flip(byte[] data, int index)
    {
        var copy = (byte[])data.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    [Fact]
    public async Task Flipping_any_byte_of_a_first_message_is_rejected_and_leaves_the_original_readable_once()
    {
        var envelope = await SendAsync(_alice, _bob, "hello bob");
        Assert.Equal(0x02, envelope[1]); // a prekey message
        for (var i = 0; i < envelope.Length; i++)
            Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, Flip(envelope, i)));
        Assert.Empty(_bob.Events.Events.OfType<MessageEvent>());
        Assert.Empty(_bob.Events.Events.OfType<KeyChangedEvent>());

        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, envelope), "hello bob");
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, envelope)); // replayed
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, envelope[..^1])); // truncated
    }

    [Fact]
    public async Task Reordered_dropped_duplicated_and_tampered_ratchet_messages()
    {
        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, await SendAsync(_alice, _bob, "first")), "first");
        AssertGenuine(await _alice.DeliverAsync(_bob.Tag, await SendAsync(_bob, _alice, "reply")), "reply");

        var m = new List<byte[]>();
        for (var i = 0; i < 4; i++) m.Add(await SendAsync(_alice, _bob, $"m{i}"));
        Assert.All(m, e => Assert.Equal(0x01, e[1])); // ratchet messages now that alice has read a reply

        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, m[2]), "m2");            // out of order
        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, m[0]), "m0");            // late
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, m[0])); // duplicate
        for (var i = 0; i < m[3].Length; i++)
            Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, Flip(m[3], i)));
        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, m[3]), "m3");            // m1 was dropped
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, m[2])); // replay after a gap
    }

    [Fact]
    public async Task A_message_forged_with_the_servers_own_keys_is_never_taken_for_alice()
    {
        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, await SendAsync(_alice, _bob, "genuine")), "genuine");
        using var mallory = IdentityKeyPair.Generate();

        // 1. alice's identity on the envelope, but without her private key: X3DH gives another secret, the tag fails.
        var spliced = ForgeFirstMessage(mallory, "send money");
        mallory.Public.Encode().CopyTo(spliced, 2);
        _alice.Identity.CopyTo(spliced, 2);
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, spliced));

        // 2. the server's own identity: it authenticates as mallory, so bob sees a key change, never a trusted alice.
        var forged = await _bob.DeliverAsync(_alice.Tag, ForgeFirstMessage(mallory, "send money"));
        var shown = Assert.IsType<MessageEvent>(forged);
        Assert.Equal("changed", shown.KeyStatus);
        Assert.Equal("alice", (await _bob.Events.WaitForAsync<KeyChangedEvent>()).User);

        // 3. plain text where end-to-end encryption is the rule (a PM, an invite-only channel) is refused outright.
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, "send money"u8.ToArray(), MessageFlags.None));
        var secret = Tag.Channel(42);
        await _bob.Session.SendAsync(new AddChannel(secret, "secret", ChannelFlags.InviteOnly, ""), new Upd(secret, [_alice.Tag, _bob.Tag], []));
        await _bob.Events.WaitForAsync<MembersEvent>(m => m.Channel == "#secret");
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, "send money"u8.ToArray(), MessageFlags.None, secret));
        // 4. an encrypted channel message from a member who never gave bob a sender key cannot be read.
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, new byte[200], MessageFlags.Encrypted, secret));
        Assert.DoesNotContain(_bob.Events.Events.OfType<MessageEvent>(), e => e.KeyStatus == "trusted" && e.Text == "send money");
    }

    [Fact]
    public async Task A_swapped_key_raises_key_changed_and_holds_messages_until_trust()
    {
        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, await SendAsync(_alice, _bob, "before")), "before");
        using var mallory = IdentityKeyPair.Generate();
        await _alice.Session.SendAsync(_bob.Describe(mallory.Public.Encode()));
        var changed = await _alice.Events.WaitForAsync<KeyChangedEvent>();
        Assert.Equal("bob", changed.User);
        Assert.NotEqual(changed.OldFingerprint, changed.NewFingerprint);

        await _alice.Client.SendTextAsync("bob", "held 1", Ct);
        await _alice.Client.SendTextAsync("bob", "held 2", Ct);
        Assert.Equal(2, (await _alice.Events.WaitForAsync<MessageHeldEvent>(h => h.Held == 2)).Held);
        await _alice.Client.NickAsync("Al", Ct);
        Assert.IsType<Nick>(await _alice.Session.ReadAnyAsync()); // nothing was sent to bob in between

        // The genuine safety number no longer matches the key in use: /verify refuses, the messages stay held.
        var genuine = SafetyNumber.Compute("alice", IdentityPublicKey.Decode(_alice.Identity), "bob", IdentityPublicKey.Decode(_bob.Identity));
        var refused = await Assert.ThrowsAsync<CommandFailedException>(() => _alice.Client.VerifyAsync("bob", genuine.ToString(), Ct));
        Assert.Equal((int)PeerErrorCode.SafetyNumberMismatch, refused.Code);

        // Only /trust (the user's decision) releases them, in order, encrypted to the key now accepted.
        Assert.Equal(["held 1", "held 2"], await TrustAndOpenReleasedAsync(mallory, 2));
    }

    [Fact]
    public async Task Held_messages_survive_a_restart_of_the_peer_and_go_out_after_trust_in_the_next_session()
    {
        AssertGenuine(await _bob.DeliverAsync(_alice.Tag, await SendAsync(_alice, _bob, "before")), "before");
        using var mallory = IdentityKeyPair.Generate();
        await _alice.Session.SendAsync(_bob.Describe(mallory.Public.Encode()));
        await _alice.Events.WaitForAsync<KeyChangedEvent>();
        await _alice.Client.SendTextAsync("bob", "held 1", Ct);
        await _alice.Client.SendTextAsync("bob", "held 2", Ct);
        await _alice.Events.WaitForAsync<MessageHeldEvent>(h => h.Held == 2);

        // The peer exits; a new one starts on the same profile and signs in (the server still announces the new key).
        await _alice.Client.DisposeAsync();
        _alice = ScriptedPeer.Create(_server, "alice", _alice.Tag, _alice.Profile);
        await _alice.SignInAsync(_server, Password, _bob.Describe(mallory.Public.Encode()));
        Assert.Equal(2, (await _alice.Events.WaitForAsync<MessageHeldEvent>()).Held);

        Assert.Equal(["held 1", "held 2"], await TrustAndOpenReleasedAsync(mallory, 2));
    }

    [Fact]
    public async Task A_bundle_with_a_swapped_identity_or_a_signed_prekey_not_signed_by_it_sends_nothing()
    {
        using var mallory = IdentityKeyPair.Generate();
        using var malloryPrekey = PrekeyPair.CreateSigned(mallory, 7);
        var spliced = _bob.HonestBundle() with { SignedPrekey = malloryPrekey.ToSignedPublic().Encode() };
        var sending = _alice.Client.SendTextAsync("bob", "to bob", Ct);
        await _alice.Session.ReadAsync<BundleRequest>();
        await _alice.Session.SendAsync(spliced);
        var refused = await Assert.ThrowsAsync<CommandFailedException>(() => sending);
        Assert.Equal((int)PeerErrorCode.E2eUnavailable, refused.Code);

        sending = _alice.Client.SendTextAsync("bob", "to bob", Ct);
        await _alice.Session.ReadAsync<BundleRequest>();
        await _alice.Session.SendAsync(new Bundle(_bob.Tag, mallory.Public.Encode(), malloryPrekey.ToSignedPublic().Encode(), []));
        await sending;
        Assert.Equal("bob", (await _alice.Events.WaitForAsync<KeyChangedEvent>()).User);
        Assert.Equal(1, (await _alice.Events.WaitForAsync<MessageHeldEvent>()).Held);
        await _alice.Client.NickAsync("Al", Ct);
        Assert.IsType<Nick>(await _alice.Session.ReadAnyAsync());
    }

    [Fact]
    public async Task Invite_only_channel_messages_resist_tampering_replay_and_rerouting_to_another_channel()
    {
        Tag secret = Tag.Channel(42), other = Tag.Channel(43);
        foreach (var peer in new[] { _alice, _bob })
        {
            await peer.Session.SendAsync(
                new AddChannel(secret, "secret", ChannelFlags.InviteOnly, ""), new Upd(secret, [_alice.Tag, _bob.Tag], []),
                new AddChannel(other, "other", ChannelFlags.InviteOnly, ""), new Upd(other, [_alice.Tag, _bob.Tag], []));
            await peer.Events.WaitForAsync<MembersEvent>(m => m.Channel == "#other");
        }
        var sending = _alice.Client.SendTextAsync("#secret", "group hello", Ct);
        Assert.Equal(_bob.Tag, (await _alice.Session.ReadAsync<BundleRequest>()).User);
        await _alice.Session.SendAsync(_bob.HonestBundle());
        var senderKey = Assert.Single((await _alice.Session.ReadAsync<MsgMultiSend>()).Parts); // alice's sender key, inside the pairwise session
        var message = await _alice.Session.ReadAsync<MsgSend>();     // the channel message
        await sending;
        Assert.Equal((_bob.Tag, secret, MessageFlags.Encrypted), (senderKey.To, message.To, message.Flags));
        Assert.Equal(-1, message.Data.Span.IndexOf("group hello"u8));
        Assert.Equal(-1, senderKey.Data.Span.IndexOf("group hello"u8));

        var data = message.Data.ToArray();
        await _bob.Session.SendAsync(new MsgDeliver(_alice.Tag, senderKey.Data, _bob.Tag, 0, MessageFlags.Encrypted, 1000));
        for (var i = 0; i < data.Length; i++)
            Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, Flip(data, i), MessageFlags.Encrypted, secret));
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, data, MessageFlags.Encrypted, other)); // another group id
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_bob.Tag, data, MessageFlags.Encrypted, secret));  // another author
        var shown = Assert.IsType<MessageEvent>(await _bob.DeliverAsync(_alice.Tag, data, MessageFlags.Encrypted, secret));
        Assert.Equal(("group hello", "#secret", true, "trusted"), (shown.Text, shown.To, shown.E2e, shown.KeyStatus));
        Assert.IsType<DecryptFailedEvent>(await _bob.DeliverAsync(_alice.Tag, data, MessageFlags.Encrypted, secret)); // replay
        Assert.DoesNotContain(_bob.Events.Events.OfType<MessageEvent>(), m => m.MessageId == 1000); // the key is never shown
    }

    /// <summary>A first message to bob made by someone holding <paramref name="sender"/> and bob's public prekeys (which the server has).</summary>
    private byte[] ForgeFirstMessage(IdentityKeyPair sender, string text)
    {
        var bundle = new PrekeyBundle(IdentityPublicKey.Decode(_bob.Identity), SignedPrekeyPublic.Decode(_bob.SignedPrekey),
            OneTimePrekeyPublic.Decode(_bob.OneTimePrekeys.Dequeue()));
        using var session = PairwiseSession.Initiate(sender, bundle);
        return session.Encrypt(PmPayload.EncodeText(text));
    }
}
