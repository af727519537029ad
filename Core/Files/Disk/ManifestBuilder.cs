// Reads what the user chose to send (a file, or a folder with its whole tree) and hashes it into an offer manifest.
using System.Buffers;

namespace P2PChat.Core.Files.Disk;

/// <summary>
/// One pass over the data: each file is read once, chunk by chunk, and each byte is hashed once: SHA-256 over the whole
/// file, keeping its chaining state after every chunk (<see cref="ChunkChainBuilder"/>, manifest version 3), so memory
/// stays at one chunk whatever the size. Folders are walked in ordinal name order; empty folders are kept; symbolic
/// links and devices are never followed or sent (they are listed in <see cref="BuiltManifest.Skipped"/>).
/// A name the receiver would refuse (<see cref="SafeName"/>) fails the build with a clear reason before anything is offered.
/// </summary>
public static class ManifestBuilder
{
    public static async Task<BuiltManifest> BuildAsync(string path, TransferId id, CancellationToken ct, IProgress<long>? hashed = null)
    {
        var full = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) is { Length: > 0 } p ? p : path);
        var root = Path.GetDirectoryName(full) ?? throw new IOException($"cannot send the root folder '{full}'");
        var top = Path.GetFileName(full);
        var skipped = new List<string>();
        var found = new List<(string Relative, EntryKind Kind, long Size)>();
        var info = new FileInfo(full);
        if (info.Exists && info.LinkTarget is null) found.Add((top, EntryKind.File, info.Length));
        else if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null) Walk(new DirectoryInfo(full), top, found, skipped);
        else throw new FileNotFoundException($"no file or folder '{path}' (symbolic links are not sent)");
        foreach (var (relative, _, _) in found)
            if (SafeName.Problem(relative) is { } problem) throw new IOException($"cannot send '{relative}': it has {problem}, which the receiver would refuse");
        var chunkSize = FileManifest.ChooseChunkSize(found.Sum(f => f.Size));
        var entries = new List<ManifestEntry>(found.Count);
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            foreach (var (relative, kind, size) in found)
            {
                ct.ThrowIfCancellationRequested();
                if (kind == EntryKind.Folder) { entries.Add(ManifestEntry.Folder(relative)); continue; }
                entries.Add(await HashFileAsync(Path.Combine(root, relative), relative, size, chunkSize, buffer, hashed, ct).ConfigureAwait(false));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var manifest = new FileManifest(id, chunkSize, entries);
        if (manifest.TotalChunks > FileManifest.MaxTotalChunks) throw new IOException($"too large to send: more than {FileManifest.MaxTotalChunks} chunks of 16 MiB");
        if (entries.Count > FileManifest.MaxEntries) throw new IOException($"too many entries to send at once ({entries.Count}; at most {FileManifest.MaxEntries})");
        return new BuiltManifest(manifest, root, skipped);
    }

    private static void Walk(DirectoryInfo folder, string relative, List<(string, EntryKind, long)> found, List<string> skipped)
    {
        found.Add((relative, EntryKind.Folder, 0));
        foreach (var child in folder.EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var path = relative + "/" + child.Name;
            if (child.LinkTarget is not null) { skipped.Add(path); continue; }
            if (child is DirectoryInfo sub) Walk(sub, path, found, skipped);
            else if (child is FileInfo file && (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0) found.Add((path, EntryKind.File, file.Length));
            else skipped.Add(path);
        }
    }

    private static async Task<ManifestEntry> HashFileAsync(string path, string relative, long size, int chunkSize, byte[] buffer, IProgress<long>? hashed, CancellationToken ct)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var chain = new ChunkChainBuilder(size, chunkSize);
        for (var i = 0; i < chain.ChunkCount; i++)
        {
            var length = (int)Math.Min(chunkSize, size - (long)i * chunkSize);
            await ChunkSource.ReadExactlyAsync(handle, buffer.AsMemory(0, length), (long)i * chunkSize, relative, ct).ConfigureAwait(false);
            chain.Append(buffer.AsSpan(0, length));
            hashed?.Report(length);
        }
        return chain.ToEntry(relative);
    }
}

/// <param name="Root">the folder that holds the top-level entry: entry paths are relative to it.</param>
/// <param name="Skipped">symbolic links and special files that were left out.</param>
public sealed record BuiltManifest(FileManifest Manifest, string Root, IReadOnlyList<string> Skipped);
