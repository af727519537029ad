// The receiver's side of the disk: partial files, verified chunks written in place, the bitmap, and the final rename.
namespace P2PChat.Core.Files.Disk;

/// <summary>
/// Layout under the target folder F, for a transfer whose top-level name became T (the offered name, with " (1)",
/// " (2)"... added when F already holds it): a file entry P is written to <c>F/T…/P.{id8}.p2pchat-part</c> (sized to
/// the file at once, so a sparse source stays sparse: all-zero chunks are not written) and renamed to its final name
/// once every chunk is verified (with manifest version 3 the chunks' chain ends in the whole-file SHA-256, so that is
/// the whole-file check, <see cref="ChunkChain"/>). The rename never replaces anything: a name taken
/// meanwhile gets the next free suffix. Folders (empty ones too) are created when the transfer starts.
/// Chunks are written around the page cache where the file system allows it (<see cref="PartialFileWriter"/>).
/// Durability order: chunk data is flushed to disk before the bitmap that marks it verified is replaced (write to a
/// temporary file, flush, rename over the old one), so a crash at any moment leaves a bitmap that only names chunks
/// that are really on disk, and resuming never re-hashes them.
/// Checkpoints during a transfer run in the background (<see cref="TryBeginCheckpoint"/>): the bitmap is snapshot on
/// the caller's thread, then a worker flushes the data written so far and saves that snapshot, while the caller goes on
/// writing later chunks (which the snapshot does not name). At most one runs at a time; everything that flushes or
/// closes the open file (<see cref="Checkpoint"/>, finishing a file, switching files, <see cref="Dispose"/>) waits for
/// it first. So the receive loop never waits for the disk (an fsync of 64 MiB takes 0.1-0.2 s here).
/// </summary>
public sealed class IncomingFiles : IDisposable
{
    public const string PartialSuffix = ".p2pchat-part";
    private readonly FileManifest _manifest;
    private readonly string _bitmapPath;
    private PartialFileWriter? _writer;
    private readonly Queue<(int Chunk, Task Write)> _inFlight = new(); // background writes of the open file, oldest first
    private int _openEntry = -1;
    private int _unsaved;
    private Task _saving = Task.CompletedTask; // the background checkpoint under way, if any
    private bool _saveFailed;                  // the last background checkpoint failed: the next save must run

    public IncomingFiles(FileManifest manifest, string folder, string topName, string bitmapPath)
    {
        _manifest = manifest;
        Folder = folder;
        TopName = topName;
        _bitmapPath = bitmapPath;
        Verified = LoadBitmap(bitmapPath, manifest.TotalChunks);
    }

    public string Folder { get; }
    public string TopName { get; }
    public ChunkBitmap Verified { get; }

    /// <summary>Where the transfer's top-level file or folder ends up.</summary>
    public string TopPath => Path.Combine(Folder, TopName);

    /// <summary>The offered top-level name, or the same with " (n)" before the extension, whichever is free in <paramref name="folder"/>.</summary>
    public static string ChooseTopName(string folder, string name)
    {
        for (var n = 0; ; n++)
        {
            var candidate = n == 0 ? name : $"{Path.GetFileNameWithoutExtension(name)} ({n}){Path.GetExtension(name)}";
            var path = Path.Combine(folder, candidate);
            if (!File.Exists(path) && !Directory.Exists(path) && !Directory.EnumerateFiles(folder, candidate + ".*" + PartialSuffix).Any()) return candidate;
        }
    }

    public string FinalPath(int entry) => Path.Combine(Folder, (TopName + _manifest.Entries[entry].Path[_manifest.Name.Length..]).Replace('/', Path.DirectorySeparatorChar));

    public string PartialPath(int entry) => FinalPath(entry) + "." + _manifest.Id.ToString()[..8] + PartialSuffix;

    /// <summary>Whether entry <paramref name="entry"/> has all its chunks verified and its final name.</summary>
    public bool IsFinished(int entry)
    {
        var e = _manifest.Entries[entry];
        return e.Kind == EntryKind.Folder
            ? Directory.Exists(FinalPath(entry))
            : Verified.AllSet(_manifest.ChunkBase(entry), e.ChunkCount) && !File.Exists(PartialPath(entry)) && File.Exists(FinalPath(entry));
    }

    /// <summary>Creates the folders and the partial files that are missing; finishes empty files at once.</summary>
    /// <returns>the entries finished by this call (empty files).</returns>
    public IReadOnlyList<int> Prepare()
    {
        Directory.CreateDirectory(Folder);
        var finished = new List<int>();
        for (var i = 0; i < _manifest.Entries.Count; i++)
        {
            var e = _manifest.Entries[i];
            if (e.Kind == EntryKind.Folder) { Directory.CreateDirectory(FinalPath(i)); continue; }
            Directory.CreateDirectory(Path.GetDirectoryName(FinalPath(i))!);
            if (IsFinished(i) || File.Exists(PartialPath(i))) continue;
            if (Verified.AllSet(_manifest.ChunkBase(i), e.ChunkCount) && e.Size > 0) continue; // finished earlier, then moved away by the user
            using (var handle = File.OpenHandle(PartialPath(i), FileMode.CreateNew, FileAccess.Write, FileShare.Read))
                RandomAccess.SetLength(handle, e.Size);
            if (e.Size == 0) { FinishFile(i); finished.Add(i); }
        }
        return finished;
    }

    /// <summary>Writes a chunk that was verified against its hash and marks it in the bitmap (saved at the next <see cref="Checkpoint"/>).
    /// The bytes are copied before this returns and may reach the disk in the background (<see cref="PartialFileWriter"/>):
    /// await the result before the next write (it completes when there is room for one). A saved bitmap names a chunk
    /// only once its write has completed; a write that failed un-marks its chunk and is thrown here or by the next call
    /// that waits for writes (<see cref="Checkpoint"/>, finishing or switching files).</summary>
    /// <exception cref="IOException">an earlier background write failed (<see cref="IsDiskFull"/> tells a full disk).</exception>
    public ValueTask WriteVerifiedAsync(int entry, int chunk, ReadOnlySpan<byte> data)
    {
        Settle(all: false);
        var write = data.IndexOfAnyExcept((byte)0) >= 0 ? Open(entry).StartWrite(data, (long)chunk * _manifest.ChunkSize) : null;
        return Written(entry, chunk, write);
    }

    /// <summary>Like <see cref="WriteVerifiedAsync(int, int, ReadOnlySpan{byte})"/> for the first
    /// <paramref name="length"/> bytes of <paramref name="buffer"/>, which go to the disk from there, without a copy
    /// (<see cref="PartialFileWriter.StartWriteInPlace"/>): the write holds a reference to the buffer until it completes.</summary>
    public ValueTask WriteVerifiedAsync(int entry, int chunk, ChunkBuffer buffer, int length)
    {
        Settle(all: false);
        var data = buffer.Memory[..length];
        Task? write = null;
        if (data.Span.IndexOfAnyExcept((byte)0) >= 0)
        {
            buffer.Retain();
            try { write = Open(entry).StartWriteInPlace(data, (long)chunk * _manifest.ChunkSize); }
            catch
            {
                buffer.Release();
                throw;
            }
            _ = write.ContinueWith(static (_, b) => ((ChunkBuffer)b!).Release(), buffer, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return Written(entry, chunk, write);
    }

    /// <summary>Marks a chunk whose write started (or that needed none: all zeros) and keeps an unfinished write in flight.</summary>
    private ValueTask Written(int entry, int chunk, Task? write)
    {
        var global = _manifest.ChunkBase(entry) + chunk;
        if (write is { IsCompletedSuccessfully: false }) _inFlight.Enqueue((global, write));
        Verified.Set(global);
        _unsaved++;
        return _writer is not { HasRoom: false } ? ValueTask.CompletedTask : SettleOldestAsync();
    }

    private async ValueTask SettleOldestAsync()
    {
        try { await _inFlight.Peek().Write.ConfigureAwait(false); }
        catch (Exception) { } // Settle reports it
        Settle(all: false);
    }

    /// <summary>Takes completed writes off the queue (every one, waiting for them, when <paramref name="all"/>); a failed
    /// one's chunk is missing again. Throws the first failure.</summary>
    private void Settle(bool all)
    {
        IOException? failure = null;
        while (_inFlight.TryPeek(out var w) && (all || w.Write.IsCompleted))
        {
            _inFlight.Dequeue();
            try { w.Write.GetAwaiter().GetResult(); }
            catch (Exception e)
            {
                Verified.Clear(w.Chunk);
                failure ??= e as IOException ?? new IOException(e.Message, e);
            }
        }
        if (failure is not null) throw failure;
    }

    /// <summary>How many verified chunks are not yet in the saved bitmap.</summary>
    public int Unsaved => _unsaved;

    /// <summary>Flushes written data to disk, then replaces the saved bitmap with the current one (after a background
    /// checkpoint under way, which it waits for).</summary>
    /// <exception cref="IOException">a background write failed (the chunks written before it are saved first), or the save did.</exception>
    public void Checkpoint()
    {
        IOException? writeFailed = null;
        try { Settle(all: true); }
        catch (IOException e) { writeFailed = e; }
        WaitForSave();
        if (_unsaved > 0 || _saveFailed)
        {
            Save(_writer, TakeSnapshot());
            _saveFailed = false;
        }
        if (writeFailed is not null) throw writeFailed;
    }

    /// <summary>Starts a checkpoint of the chunks verified so far on a worker, unless one is still under way (then
    /// returns false and the caller tries again later). A failure of the previous one (e.g. the disk is full) is thrown
    /// here, and the next checkpoint saves everything again.</summary>
    /// <exception cref="IOException">the previous background checkpoint failed, or a chunk write did.</exception>
    public bool TryBeginCheckpoint()
    {
        if (!_saving.IsCompleted) return false;
        WaitForSave();
        Settle(all: true); // at most Depth writes: ~2 ms; the snapshot then names every chunk written so far
        if (_unsaved == 0 && !_saveFailed) return false;
        var snapshot = TakeSnapshot();
        var writer = _writer; // stays open until the save ends: every close waits for it (WaitForSave)
        _saving = Task.Run(() => Save(writer, snapshot));
        return true;
    }

    /// <summary>The bitmap as it stands now, to be saved; the chunks it names no longer count as unsaved.</summary>
    private byte[] TakeSnapshot()
    {
        if (_inFlight.Count > 0) throw new InvalidOperationException("a snapshot while chunk writes are in flight would name chunks not on disk");
        _unsaved = 0;
        return ChunkBitmapCodec.Encode(Verified);
    }

    /// <summary>Waits for the background checkpoint under way, if any; rethrows its failure once.</summary>
    private void WaitForSave()
    {
        var saving = _saving;
        _saving = Task.CompletedTask;
        try { saving.GetAwaiter().GetResult(); }
        catch
        {
            _saveFailed = true;
            throw;
        }
    }

    /// <summary>Data first, then the bitmap that names it (a temporary file, flushed, renamed over the old one).</summary>
    private void Save(PartialFileWriter? writer, byte[] bitmap)
    {
        writer?.Flush();
        var temporary = _bitmapPath + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bitmap);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _bitmapPath, overwrite: true);
    }

    /// <summary>Gives a file whose chunks are all verified its final name, and returns that name. Every chunk was
    /// checked against the offer's chaining states before it was written, the last one against the whole-file SHA-256
    /// (<see cref="ChunkChain"/>), so the file on disk has that SHA-256 (an empty one: the manifest codec checked that
    /// it announces the SHA-256 of no bytes) and is not read again.</summary>
    public string FinishFile(int entry)
    {
        Checkpoint();
        CloseHandle();
        var partial = PartialPath(entry);
        var final = FinalPath(entry);
        for (var n = 1; ; n++)
        {
            try
            {
                File.Move(partial, final, overwrite: false);
                return final;
            }
            catch (IOException) when (File.Exists(final) || Directory.Exists(final))
            {
                var name = Path.GetFileName(FinalPath(entry));
                final = Path.Combine(Path.GetDirectoryName(FinalPath(entry))!, $"{Path.GetFileNameWithoutExtension(name)} ({n}){Path.GetExtension(name)}");
            }
        }
    }

    /// <summary>Deletes the partial files of unfinished entries and the bitmap (finished files are kept).</summary>
    public void Discard()
    {
        try { WaitForSave(); }
        catch (IOException) { } // the bitmap goes anyway
        try { CloseHandle(); }
        catch (IOException) { } // the partial files go anyway
        _writer?.Dispose();
        _writer = null;
        for (var i = 0; i < _manifest.Entries.Count; i++)
            if (_manifest.Entries[i].Kind == EntryKind.File) File.Delete(PartialPath(i));
        File.Delete(_bitmapPath);
    }

    private PartialFileWriter Open(int entry)
    {
        if (_openEntry == entry && _writer is not null) return _writer;
        CloseHandle();
        _writer = PartialFileWriter.Open(PartialPath(entry));
        _openEntry = entry;
        return _writer;
    }

    private void CloseHandle()
    {
        WaitForSave();
        if (_writer is null) return;
        Settle(all: true);
        _writer.Flush();
        _writer.Dispose();
        _writer = null;
        _openEntry = -1;
    }

    private static ChunkBitmap LoadBitmap(string path, int count)
    {
        try
        {
            var bitmap = ChunkBitmapCodec.Decode(File.ReadAllBytes(path));
            return bitmap.Count == count ? bitmap : new ChunkBitmap(count);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or FileProtocolException)
        {
            return new ChunkBitmap(count);
        }
    }

    /// <summary>Whether <paramref name="e"/> says the disk (or the quota) is full.</summary>
    public static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is 28 or 39 or 112 or 122
        || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        try { Checkpoint(); }
        catch (IOException) { }
        try { CloseHandle(); }
        catch (IOException) { }
        _writer?.Dispose(); // one whose last writes or flush failed
        _writer = null;
    }
}
