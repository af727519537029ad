// Where transfers live in the profile: one record file and one verified-chunk bitmap per transfer, replaced atomically.
using P2PChat.Core.Files;

namespace P2PChat.Peer.Files;

/// <summary>
/// <c>PROFILE/transfers/ID.transfer</c> (<see cref="TransferRecordCodec"/>) and <c>ID.bitmap</c> (ChunkBitmapCodec,
/// written by the receiver's disk store). A record is written to a temporary file, flushed and renamed over the old
/// one, so a crash leaves the old or the new record, never half of one. A damaged record is set aside as .damaged.
/// </summary>
public sealed class TransferStore(string folder)
{
    public string Folder { get; } = folder;

    public string BitmapPath(TransferId id) => Path.Combine(Folder, id + ".bitmap");

    private string RecordPath(TransferId id) => Path.Combine(Folder, id + ".transfer");

    public IReadOnlyList<TransferRecord> LoadAll(Action<string>? damaged = null)
    {
        if (!Directory.Exists(Folder)) return [];
        var records = new List<TransferRecord>();
        foreach (var path in Directory.EnumerateFiles(Folder, "*.transfer"))
        {
            try { records.Add(TransferRecordCodec.Decode(File.ReadAllBytes(path))); }
            catch (Exception e) when (e is FileProtocolException or IOException)
            {
                damaged?.Invoke($"{Path.GetFileName(path)}: {e.Message}");
                try { File.Move(path, path + ".damaged", overwrite: true); } catch (IOException) { }
            }
        }
        return records;
    }

    public void Save(TransferRecord record)
    {
        Directory.CreateDirectory(Folder);
        var path = RecordPath(record.Id);
        var temporary = path + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(TransferRecordCodec.Encode(record));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
