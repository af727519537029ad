// Known answers from the standards, run through P2PChat's own facades: RFC 7748, 8032, 8439, 5869 and the Argon2id reference.
using System.Security.Cryptography;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Vectors;

public sealed class RfcKnownAnswerTests
{
    // RFC 7748 section 5.2: X25519(scalar, u) with u's top bit set in the second vector (must be masked).
    [Theory]
    [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d", "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493", "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void Rfc7748_x25519_scalar_multiplication(string scalar, string u, string expected)
    {
        using var key = AgreementKeyPair.FromPrivateKey(Convert.FromHexString(scalar));
        Assert.Equal(expected, Convert.ToHexStringLower(key.Agree(Convert.FromHexString(u))));
    }

    // RFC 7748 section 6.1: Alice and Bob's key pairs and shared secret.
    [Fact]
    public void Rfc7748_diffie_hellman()
    {
        using var alice = AgreementKeyPair.FromPrivateKey(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        using var bob = AgreementKeyPair.FromPrivateKey(Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alice.PublicKey.Span));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bob.PublicKey.Span));
        const string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        Assert.Equal(shared, Convert.ToHexStringLower(alice.Agree(bob.PublicKey.Span)));
        Assert.Equal(shared, Convert.ToHexStringLower(bob.Agree(alice.PublicKey.Span)));
    }

    // RFC 8032 section 7.1, tests 1-3 (Ed25519): public key from the secret, deterministic signature, verification.
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void Rfc8032_ed25519(string secret, string publicKey, string message, string signature)
    {
        using var key = SigningKeyPair.FromPrivateKey(Convert.FromHexString(secret));
        var data = Convert.FromHexString(message);
        Assert.Equal(publicKey, Convert.ToHexStringLower(key.PublicKey.Span));
        Assert.Equal(signature, Convert.ToHexStringLower(key.Sign(data)));
        Assert.True(SigningKeyPair.Verify(Convert.FromHexString(publicKey), data, Convert.FromHexString(signature)));
        var forged = Convert.FromHexString(signature);
        forged[10] ^= 0x01;
        Assert.False(SigningKeyPair.Verify(Convert.FromHexString(publicKey), data, forged));
    }

    // RFC 8439 section 2.8.2: the AEAD_CHACHA20_POLY1305 example.
    [Fact]
    public void Rfc8439_chacha20_poly1305_aead()
    {
        var key = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        var nonce = Convert.FromHexString("070000004041424344454647");
        var ad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = Encoding.ASCII.GetBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
        const string expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
            + "1ae10b594f09e26a7e902ecbd0600691";
        var sealedData = AeadCipher.ChaCha20Poly1305.Seal(key, nonce, plaintext, ad);
        Assert.Equal(expected, Convert.ToHexStringLower(sealedData));
        Assert.Equal(plaintext, AeadCipher.ChaCha20Poly1305.Open(key, nonce, sealedData, ad));
        sealedData[^1] ^= 0x01;
        Assert.Equal(CryptoFailure.AuthenticationFailed,
            Assert.Throws<CryptoProtocolException>(() => AeadCipher.ChaCha20Poly1305.Open(key, nonce, sealedData, ad)).Reason);
    }

    // RFC 5869 appendix A.1 (basic test case with SHA-256) and A.3 (zero-length salt and info).
    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42,
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")]
    public void Rfc5869_hkdf_sha256(string ikm, string salt, string info, int length, string okm) =>
        Assert.Equal(okm, Convert.ToHexStringLower(Kdf.Hkdf(Convert.FromHexString(ikm), Convert.FromHexString(salt), Convert.FromHexString(info), length)));

    // Argon2id v1.3 (RFC 9106) through our facade. RFC 9106's own vector (section 5.3) uses p = 4, a secret and associated
    // data and an 8-byte salt, none of which libsodium's Argon2id (one lane, no secret, 16-byte salt) can express; these are
    // libsodium's published Argon2id vectors (test/default/pwhash_argon2id.c cases 6 and 7, outputs in pwhash_argon2id.exp):
    // m = memlimit / 1024 KiB, t = opslimit, p = 1, salt = the first 16 bytes of the listed salt.
    [Theory]
    [InlineData("b540beb016a5366524d4605156493f9874514a5aa58818cd0c6dfffaa9e90205f17b", "44071f6d181561670bda728d43fb79b4", 1631659 / 1024, 1, 231,
        "7fb72409b0987f8190c3729710e98c3f80c5a8727d425fdcde7f3644d467fe973f5b5fee683bd3fce812cb9ae5e9921a2d06c2f1905e4e839692f2b934b682f11a2fe2b90482ea5dd234863516dba6f52dc0702d324ec77d860c2e181f84472bd7104fedce071ffa93c5309494ad51623d214447a7b2b1462dc7d5d55a1f6fd5b54ce024118d86f0c6489d16545aaa87b6689dad9f2fb47fda9894f8e12b87d978b483ccd4cc5fd9595cdc7a818452f915ce2f7df95ec12b1c72e3788d473441d884f9748eb14703c21b45d82fd667b85f5b2d98c13303b3fe76285531a826b6fc0fe8e3dddecf")]
    [InlineData("a14975c26c088755a8b715ff2528d647cd343987fcf4aa25e7194a8417fb2b4b3f7268da9f3182b4cfb22d138b2749d673a47ecc7525dd15a0a3c66046971784bb63d7eae24cc84f2631712075a10e10a96b0e0ee67c43e01c423cb9c44e5371017e9c496956b632158da3fe12addecb88912e6759bc37f9af2f45af72c5cae3b179ffb676a697de6ebe45cd4c16d4a9d642d29ddc0186a0a48cb6cd62bfc3dd229d313b301560971e740e2cf1f99a9a090a5b283f35475057e96d7064e2e0fc81984591068d55a3b4169f22cccb0745a2689407ea1901a0a766eb99",
        "3d968b2752b8838431165059319f3ff8", 1784128 / 1024, 3, 167,
        "4e702bc5f891df884c6ddaa243aa846ce3c087fe930fef0f36b3c2be34164ccc295db509254743f18f947159c813bcd5dd8d94a3aec93bbe57605d1fad1aef1112687c3d4ef1cb329d21f1632f626818d766915d886e8d819e4b0b9c9307f4b6afc081e13b0cf31db382ff1bf05a16aac7af696336d75e99f82163e0f371e1d25c4add808e215697ad3f779a51a462f8bf52610af21fc69dba6b072606f2dabca7d4ae1d91d919")]
    public void Argon2id_published_vectors(string password, string salt, int memoryKib, int passes, int length, string expected)
    {
        var output = new byte[length];
        PasswordKdf.Argon2id(Convert.FromHexString(password), Convert.FromHexString(salt), new Argon2Settings(memoryKib, passes), output);
        Assert.Equal(expected, Convert.ToHexStringLower(output));
    }
}
