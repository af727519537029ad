// SHA-256 with exported/imported chaining states: NIST vectors, splits at block boundaries, padding edges, > 4 GiB lengths, both backends.
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Crypto.Primitives;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Primitives;

public sealed class Sha256StateTests
{
    public static TheoryData<string> Backends => ["managed", "libcrypto"];

    private static Sha256Backend Backend(string name)
    {
        if (name == "managed") return ManagedSha256.Instance;
        if (LibcryptoSha256.TryLoad() is { } libcrypto) return libcrypto;
        const string reason = "libcrypto.so.3 with SHA256_Update is not on this machine";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(reason + " (CI=true requires this test to run)");
        Assert.Skip(reason);
        return null!;
    }

    private static byte[] Hash(Sha256Backend backend, byte[] message, int prefixBlocks)
    {
        var split = Math.Min(prefixBlocks * 64, message.Length - message.Length % 64);
        var digest = new byte[32];
        Sha256State.Initial.Compress(message.AsSpan(0, split), backend).Finish(message.AsSpan(split), message.Length, digest, backend);
        return digest;
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Nist_example_vectors(string name)
    {
        var backend = Backend(name);
        // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional"): one block, two blocks, a million 'a'.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(Hash(backend, "abc"u8.ToArray(), 0)));
        var twoBlocks = Encoding.ASCII.GetBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", Convert.ToHexStringLower(Hash(backend, twoBlocks, 0)));
        var million = Enumerable.Repeat((byte)'a', 1_000_000).ToArray();
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Convert.ToHexStringLower(Hash(backend, million, 7000)));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(Hash(backend, [], 0)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Nist_two_block_example_intermediate_state(string name)
    {
        // FIPS 180-4 example for "abcdbcdecd…nopq" (448 bits): the padded message is two blocks, and the example lists
        // H(1), the chaining state after the first one (the message, 0x80, seven zero bytes).
        var backend = Backend(name);
        var first = new byte[64];
        Encoding.ASCII.GetBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").CopyTo(first, 0);
        first[56] = 0x80;
        Assert.Equal("85e655d6417a17953363376a624cde5c76e09589cac5f811cc4b32c1f20e533a", Sha256State.Initial.Compress(first, backend).ToString());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Padding_edges_match_sha256(string name)
    {
        var backend = Backend(name);
        var random = new Random(7);
        foreach (var length in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000 })
        {
            var message = new byte[length];
            random.NextBytes(message);
            for (var blocks = 0; blocks <= length / 64; blocks++)
                Assert.Equal(SHA256.HashData(message), Hash(backend, message, blocks));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Any_split_at_block_boundaries_through_exported_states_equals_sha256(string name)
    {
        var backend = Backend(name);
        var config = Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true);
        Check.One(config, Prop.ForAll<byte[], int[]>((message, cuts) =>
        {
            message ??= [];
            var blocks = message.Length / 64;
            var boundaries = (cuts ?? []).Select(c => (int)((uint)c % (uint)(blocks + 1)) * 64).Append(0).Append(blocks * 64).Distinct().Order().ToArray();
            var exported = Sha256State.Initial.ToBytes();
            for (var i = 1; i < boundaries.Length; i++)
                exported = Sha256State.Read(exported).Compress(message.AsSpan(boundaries[i - 1], boundaries[i] - boundaries[i - 1]), backend).ToBytes();
            var digest = new byte[32];
            Sha256State.Read(exported).Finish(message.AsSpan(blocks * 64), message.Length, digest, backend);
            return digest.AsSpan().SequenceEqual(SHA256.HashData(message));
        }));
    }

    [Fact]
    public void Both_backends_agree_from_any_state_and_length_including_past_2_to_the_32_bits_and_bytes()
    {
        var libcrypto = Backend("libcrypto");
        var random = new Random(11);
        var state = new byte[32];
        foreach (var total in new[] { 100L, (1L << 29) + 3, (1L << 32) + 5, (5L << 30) + 3, (1L << 40) + 63, Sha256State.MaxMessageLength })
        {
            random.NextBytes(state);
            var tail = new byte[(int)(total % 64) + 64];
            random.NextBytes(tail);
            var managedDigest = new byte[32];
            var libcryptoDigest = new byte[32];
            Sha256State.Read(state).Finish(tail, total, managedDigest, ManagedSha256.Instance);
            Sha256State.Read(state).Finish(tail, total, libcryptoDigest, libcrypto);
            Assert.Equal(managedDigest, libcryptoDigest);
            Assert.Equal(Sha256State.Read(state).Compress(tail[..64], ManagedSha256.Instance), Sha256State.Read(state).Compress(tail[..64], libcrypto));
        }
    }

    [Fact]
    public void A_message_over_4_GiB_streamed_through_states_equals_sha256()
    {
        // 4 GiB + 3 bytes of zeros: the length in bits needs more than 32 bits (Nh in OpenSSL's context, the high word
        // of the u64 in the padding). About 3 s of hashing each way with SHA extensions.
        const long total = (4L << 30) + 3;
        var zeros = new byte[1 << 20];
        using var reference = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var state = Sha256State.Initial;
        for (long done = 0; done + zeros.Length <= total; done += zeros.Length)
        {
            reference.AppendData(zeros);
            state = Sha256State.Read(state.ToBytes()).Compress(zeros);
        }
        reference.AppendData(zeros, 0, 3);
        Assert.Equal(reference.GetHashAndReset(), state.Finish(zeros.AsSpan(0, 3), total));
    }

    [Fact]
    public void Misuse_is_refused_with_a_clear_error()
    {
        Assert.Throws<ArgumentException>(() => Sha256State.Initial.Compress(new byte[65]));
        Assert.Throws<ArgumentException>(() => Sha256State.Initial.Finish(new byte[3], 70));   // 67 bytes before the tail
        Assert.Throws<ArgumentException>(() => Sha256State.Initial.Finish(new byte[3], 2));    // a tail longer than the message
        Assert.Throws<ArgumentException>(() => Sha256State.Read(new byte[31]));
        Assert.Equal(Sha256State.Initial, Sha256State.Initial.Compress([]));
    }

    [Fact]
    public unsafe void The_openssl_context_is_112_bytes_with_the_length_words_at_32()
    {
        Assert.Equal(112, sizeof(LibcryptoSha256.Sha256Ctx));
        var ctx = new LibcryptoSha256.Sha256Ctx();
        Assert.Equal(32, (int)((byte*)&ctx.Nl - (byte*)&ctx));
        Assert.Equal(104, (int)((byte*)&ctx.Num - (byte*)&ctx));
        Assert.Equal(108, (int)((byte*)&ctx.MdLength - (byte*)&ctx));
    }

    [Fact]
    public void The_default_backend_is_libcrypto_where_it_loads()
    {
        var expected = LibcryptoSha256.TryLoad() is null || Environment.GetEnvironmentVariable("P2PCHAT_SHA256") == "managed" ? "managed" : "libcrypto";
        Assert.Equal(expected, Sha256Backend.Default.Name);
    }
}
