// Known answers for the shared derivations (chain step, root step, message AEAD), with the labels as they are on the wire.
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Crypto.Handshake;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Crypto.Primitives;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Primitives;

public sealed class KdfKnownAnswerTests
{
    private static readonly byte[] Sequence32 = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Chain_step_is_hmac_sha256_with_constants_one_and_two()
    {
        var (messageKey, nextChainKey) = Kdf.ChainStep(Sequence32);
        Assert.Equal(HMACSHA256.HashData(Sequence32, new byte[] { 0x01 }), messageKey);
        Assert.Equal(HMACSHA256.HashData(Sequence32, new byte[] { 0x02 }), nextChainKey);
        Assert.Equal("9b4c8120a4823a95f47cde17a244f4507244ee6e3957d1fab9fa29b44d3829b7", Convert.ToHexStringLower(messageKey));
        Assert.Equal("4304c22c84a53755ab08ead8d97a8d429be5efa480682d7ad1da27f73e1fbe1d", Convert.ToHexStringLower(nextChainKey));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(64u)]
    public void Chain_key_after_n_steps_is_the_chain_steps_next_key_n_times(uint steps)
    {
        var expected = Sequence32;
        for (uint i = 0; i < steps; i++) expected = Kdf.ChainStep(expected).NextChainKey;
        var after = Kdf.ChainKeyAfter(Sequence32, steps);
        Assert.Equal(expected, after);
        Assert.NotSame(Sequence32, after);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i), Sequence32);   // the input is not touched
    }

    [Fact]
    public void Root_step_uses_the_ratchet_root_label()
    {
        var dh = Enumerable.Repeat((byte)0xAB, 32).ToArray();
        var (rootKey, chainKey) = Kdf.HkdfPair(dh, Sequence32, "P2PChat ratchet root v1"u8);
        Assert.Equal("5600658729566a7377584dad99fbdde434f7eac939063cb270b6ab0167e4393a", Convert.ToHexStringLower(rootKey));
        Assert.Equal("46c6244003bb4c6333bee0f5ad762a13693e6745db3fbe97a43e03b509a57a2e", Convert.ToHexStringLower(chainKey));
    }

    [Fact]
    public void Message_key_aead_framing_is_fixed()
    {
        var sealedMessage = Aead.SealWithMessageKey(Sequence32, "P2PChat ratchet message v1"u8, "known answer"u8, "associated"u8);
        Assert.Equal("aec9bba0fd91e1b3010f83b83f296fd8c9ddaf207bf402a6d93f4c1f", Convert.ToHexStringLower(sealedMessage));
        Assert.Equal("known answer"u8.ToArray(), Aead.OpenWithMessageKey(Sequence32, "P2PChat ratchet message v1"u8, sealedMessage, "associated"u8));
    }

    [Fact]
    public void Labels_are_the_documented_strings()
    {
        Assert.Equal("P2PChat X3DH v1"u8.ToArray(), ProtocolLabels.X3dh);
        Assert.Equal("P2PChat ratchet root v1"u8.ToArray(), ProtocolLabels.RatchetRoot);
        Assert.Equal("P2PChat ratchet message v1"u8.ToArray(), ProtocolLabels.RatchetMessage);
        Assert.Equal("P2PChat sender key message v1"u8.ToArray(), ProtocolLabels.SenderKeyMessage);
        Assert.Equal("P2PChat sender key signature v1"u8.ToArray(), ProtocolLabels.SenderKeySignature);
        Assert.Equal("P2PChat signed prekey v1"u8.ToArray(), ProtocolLabels.SignedPrekeySignature);
        Assert.Equal("P2PChat vault key v1"u8.ToArray(), ProtocolLabels.VaultKey);
        Assert.Equal("P2PChat vault verifier v1"u8.ToArray(), ProtocolLabels.VaultVerifier);
        Assert.Equal("Noise_XX_25519_ChaChaPoly_SHA256"u8.ToArray(), LinkHandshake.Suite.ProtocolName);
    }
}
