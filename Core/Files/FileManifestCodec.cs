// The offer manifest on the wire: encode, and decode with every limit and safe-name check applied. No I/O.
using P2PChat.Core.Bytes;
using System.Buffers;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Files;

/// <summary>
/// <code>
/// manifest := version u8 (3) | transfer id (16) | chunk size u32 BE | entry count u32 BE | entry*
/// entry    := kind u8 (0 file, 1 folder) | path length u16 BE | path (UTF-8, relative, '/'-separated)
///             file only: size u64 BE | whole-file SHA-256 (32)
///                        | SHA-256 chaining state after chunk i (32: H0..H7, u32 BE each), i = 0 … n−2,
///                          where n = ceil(size / chunk size) (none for an empty or one-chunk file)
/// </code>
/// The states are what <see cref="ChunkChain"/> checks each chunk against. An empty file must announce the SHA-256 of
/// no bytes. Versions 1 (SHA-256 per chunk) and 2 (BLAKE3-256 per chunk) are refused with the transfer id, so the
/// receiver can answer the older sender with a REJECT that says why.
/// Limits (a decode that breaks one throws <see cref="FileProtocolException"/>): chunk size a power of two in
/// [16 KiB, 16 MiB]; 1 to 100 000 entries; at most 2^19 chunks in all; size below 2^62; every path passes
/// <see cref="SafeName"/>, starts with the first entry's top-level name, and appears once (compared ignoring case, so
/// nothing collides on a case-insensitive disk); a folder entry comes before anything inside it is not required.
/// </summary>
public static class FileManifestCodec
{
    /// <summary>3: per chunk, SHA-256 chaining states (<see cref="ChunkChain"/>). 2 had BLAKE3-256 chunk hashes, 1
    /// SHA-256 chunk hashes; both are refused.</summary>
    public const byte Version = 3;

    public static byte[] Encode(FileManifest manifest)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new WireWriter(buffer);
        w.U8(Version);
        w.Raw(manifest.Id.ToBytes());
        w.U32((uint)manifest.ChunkSize);
        w.U32((uint)manifest.Entries.Count);
        foreach (var e in manifest.Entries)
        {
            w.U8((byte)e.Kind);
            w.Str16(e.Path);
            if (e.Kind != EntryKind.File) continue;
            w.U64((ulong)e.Size);
            w.Raw(e.Sha256);
            w.Raw(e.ChainStates);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FileProtocolException">malformed, over a limit, or naming a hostile path.</exception>
    public static FileManifest Decode(ReadOnlySpan<byte> bytes) => Decode(new ReadOnlySequence<byte>(bytes.ToArray()));

    public static FileManifest Decode(ReadOnlySequence<byte> bytes)
    {
        try
        {
            var r = new SequenceReader<byte>(bytes);
            var version = WireReader.U8(ref r);
            Span<byte> idBytes = stackalloc byte[TransferId.Length];
            if (!r.TryCopyTo(idBytes)) throw new FileProtocolException(version == Version ? "the manifest ends inside the transfer id" : $"manifest version {version} is not supported");
            r.Advance(TransferId.Length);
            if (version != Version)
                throw new FileProtocolException(version < Version
                    ? $"the offer uses manifest version {version}, from an older p2pchat; this one reads version {Version} only (the sender must update)"
                    : $"manifest version {version} is not supported (this p2pchat reads version {Version}; update it)") { Id = TransferId.Read(idBytes) };
            var chunkSize = (int)Math.Min(WireReader.U32(ref r), int.MaxValue);
            if (chunkSize < FileManifest.MinChunkSize || chunkSize > FileManifest.MaxChunkSize || (chunkSize & (chunkSize - 1)) != 0)
                throw new FileProtocolException($"chunk size {chunkSize} is not a power of two between 16 KiB and 16 MiB");
            var id = TransferId.Read(idBytes);
            try { return DecodeEntries(ref r, id, chunkSize); }
            catch (FileProtocolException e) { throw new FileProtocolException(e.Message) { Id = id }; }
            catch (MalformedInputException e) { throw new FileProtocolException($"malformed manifest: {e.Message}") { Id = id }; }
        }
        catch (MalformedInputException e)
        {
            throw new FileProtocolException($"malformed manifest: {e.Message}");
        }
    }

    private static FileManifest DecodeEntries(ref SequenceReader<byte> r, TransferId id, int chunkSize)
    {
        {
            var count = WireReader.U32(ref r);
            if (count is 0 or > FileManifest.MaxEntries) throw new FileProtocolException($"{count} entries (1 to {FileManifest.MaxEntries} allowed)");
            var entries = new List<ManifestEntry>((int)Math.Min(count, 1024));
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var files = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var parents = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string? top = null;
            long chunks = 0;
            for (var i = 0; i < count; i++)
            {
                var kind = WireReader.U8(ref r) switch
                {
                    0 => EntryKind.File,
                    1 => EntryKind.Folder,
                    var k => throw new FileProtocolException($"entry kind {k} is not defined"),
                };
                var path = WireReader.Str16(ref r);
                if (SafeName.Problem(path) is { } problem) throw new FileProtocolException($"hostile name: {problem}");
                var first = path.Split('/')[0];
                top ??= first;
                if (!string.Equals(top, first, StringComparison.Ordinal)) throw new FileProtocolException($"'{SafeName.Shown(path)}' is outside '{top}'");
                if (i == 0 && kind == EntryKind.File && path != top) throw new FileProtocolException("a single file must be named without folders");
                if (i > 0 && path == top) throw new FileProtocolException($"'{top}' appears twice");
                if (!seen.Add(path)) throw new FileProtocolException($"'{SafeName.Shown(path)}' appears twice");
                if (ParentIsFile(path, files, parents)) throw new FileProtocolException($"'{SafeName.Shown(path)}' is inside a file");
                if (kind == EntryKind.File && parents.Contains(path)) throw new FileProtocolException($"'{SafeName.Shown(path)}' is a file with entries inside");
                if (kind == EntryKind.Folder)
                {
                    entries.Add(ManifestEntry.Folder(path));
                    continue;
                }
                files.Add(path);
                var size = WireReader.U64(ref r);
                if (size >= 1UL << 62) throw new FileProtocolException($"a file of {size} bytes");
                var sha = Take(ref r, FileManifest.HashLength);
                long n = FileManifest.ChunkCountFor((long)size, chunkSize);
                chunks += n;
                if (chunks > FileManifest.MaxTotalChunks) throw new FileProtocolException($"more than {FileManifest.MaxTotalChunks} chunks");
                if (n == 0 && !sha.AsSpan().SequenceEqual(ChunkChain.EmptySha256))
                    throw new FileProtocolException($"'{SafeName.Shown(path)}' is empty but its SHA-256 is not that of no bytes");
                entries.Add(new ManifestEntry(path, kind, (long)size, sha, Take(ref r, (int)Math.Max(0, n - 1) * FileManifest.HashLength)));
            }
            if (entries[0].Kind == EntryKind.File && entries.Count > 1) throw new FileProtocolException("a single-file offer holds one entry");
            if (!r.End) throw new FileProtocolException($"{r.Remaining} bytes after the last entry");
            return new FileManifest(id, chunkSize, entries);
        }
    }

    private static bool ParentIsFile(string path, HashSet<string> files, HashSet<string> parents)
    {
        var inside = false;
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            parents.Add(path[..slash]);
            inside |= files.Contains(path[..slash]);
        }
        return inside;
    }

    private static byte[] Take(ref SequenceReader<byte> r, int count)
    {
        if (r.Remaining < count) throw new FileProtocolException("the manifest ends inside a list of chaining states");
        var bytes = new byte[count];
        r.TryCopyTo(bytes);
        r.Advance(count);
        return bytes;
    }
}
