// SHA-256 compression from a given state through OpenSSL's low-level SHA256_Update/SHA256_Final on a SHA256_CTX we fill.
using System.Runtime.InteropServices;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// OpenSSL 3's <c>SHA256_Init</c>/<c>SHA256_Update</c>/<c>SHA256_Final</c> (deprecated in 3.0 but exported by
/// libcrypto.so.3, and the only OpenSSL API whose state can be set; the EVP API hides it). They run the same block
/// function as EVP, with SHA-NI where the CPU has it. Loaded with <see cref="NativeLibrary"/> at first use (function
/// pointers, no reflection: fine under native AOT); when the library or a symbol is missing <see cref="TryLoad"/>
/// returns null and <see cref="Sha256Backend"/> uses the managed implementation.
/// The context layout we rely on, from include/openssl/sha.h (stable since OpenSSL 0.9.8; SHA_LONG is a 32-bit
/// unsigned int on every platform OpenSSL builds for; no padding: every field is 4 bytes), 112 bytes:
/// <code>
/// offset size  field            what we do with it
///   0     32   SHA_LONG h[8]    H0..H7 in native byte order: set to our state, read back after Update
///  32      4   SHA_LONG Nl      message length so far in bits, low 32 bits: set to the bits before the tail
///  36      4   SHA_LONG Nh      the same, high 32 bits (so lengths past 4 GiB = 2^35 bits are carried)
///  40     64   SHA_LONG data[16] the partial block buffer: left zero (we start on a block boundary)
/// 104      4   unsigned num     bytes in data: 0
/// 108      4   unsigned md_len  digest length: 32 (SHA256_Final writes md_len bytes)
/// </code>
/// With <c>num</c> = 0, <c>SHA256_Update</c> hands every whole block straight to the block function and keeps the rest
/// (at most 63 bytes) in <c>data</c>; <c>SHA256_Final</c> pads with the length from <c>Nl</c>/<c>Nh</c>. A test checks
/// this backend against the managed one and <see cref="System.Security.Cryptography.SHA256"/> (which goes through EVP).
/// </summary>
internal sealed unsafe class LibcryptoSha256 : Sha256Backend
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct Sha256Ctx
    {
        public Sha256State.Words H;
        public uint Nl;
        public uint Nh;
        public fixed uint Data[16];
        public uint Num;
        public uint MdLength;
    }

    private readonly delegate* unmanaged<Sha256Ctx*, byte*, nuint, int> _update;
    private readonly delegate* unmanaged<byte*, Sha256Ctx*, int> _final;

    private LibcryptoSha256(nint update, nint final)
    {
        _update = (delegate* unmanaged<Sha256Ctx*, byte*, nuint, int>)update;
        _final = (delegate* unmanaged<byte*, Sha256Ctx*, int>)final;
    }

    public override string Name => "libcrypto";

    /// <summary>The backend, or null when libcrypto cannot be loaded or lacks the functions.</summary>
    public static LibcryptoSha256? TryLoad()
    {
        foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so"])
        {
            if (!NativeLibrary.TryLoad(name, out var library)) continue;
            if (NativeLibrary.TryGetExport(library, "SHA256_Update", out var update) && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
                return new LibcryptoSha256(update, final);
        }
        return null;
    }

    private static Sha256Ctx Context(in Sha256State.Words h, ulong bitsBefore) => new()
    {
        H = h,
        Nl = (uint)bitsBefore,
        Nh = (uint)(bitsBefore >> 32),
        MdLength = Sha256State.DigestLength,
    };

    public override void Compress(ref Sha256State.Words h, ReadOnlySpan<byte> blocks)
    {
        var ctx = Context(h, 0);
        fixed (byte* data = blocks)
            if (_update(&ctx, data, (nuint)blocks.Length) != 1) throw new InvalidOperationException("SHA256_Update failed");
        h = ctx.H;
    }

    public override void Finish(Sha256State.Words h, ReadOnlySpan<byte> tail, long totalLength, Span<byte> digest)
    {
        var ctx = Context(h, (ulong)(totalLength - tail.Length) * 8);
        fixed (byte* data = tail)
        fixed (byte* md = digest)
        {
            if (!tail.IsEmpty && _update(&ctx, data, (nuint)tail.Length) != 1) throw new InvalidOperationException("SHA256_Update failed");
            if (_final(md, &ctx) != 1) throw new InvalidOperationException("SHA256_Final failed");
        }
    }
}
