// Loads and saves profile.json in the profile folder; saves are atomic (write a temp file, then rename over) and checksummed.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace P2PChat.Peer.Profile;

/// <summary>
/// The file is the profile's JSON plus a <c>checksum</c> field: <c>"sha256:" + hex(SHA-256(UTF-8 of the profile's
/// JSON without the checksum))</c>. A file whose checksum does not match was damaged on disk (a flipped byte in the
/// pinned fingerprint must never pass for "the server's certificate has changed", which would teach users to
/// override the pin), so it is refused with a clear <see cref="InvalidDataException"/>, as is an empty or unparsable
/// file. Files written before the checksum existed load as they are and
/// get one on the next save.
/// </summary>
public sealed class ProfileStore
{
    public const string FileName = "profile.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private readonly object _gate = new();

    public ProfileStore(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
    }

    public string Folder { get; }
    public string FilePath => Path.Combine(Folder, FileName);

    /// <summary>The saved profile, or an empty one when there is none yet.</summary>
    /// <exception cref="InvalidDataException">the file exists but is empty, not a profile, or damaged.</exception>
    public PeerProfile Load()
    {
        lock (_gate)
        {
            if (!File.Exists(FilePath)) return new PeerProfile();
            var text = File.ReadAllText(FilePath);
            if (string.IsNullOrWhiteSpace(text)) throw Damaged("it is empty");
            StoredProfile stored;
            try { stored = JsonSerializer.Deserialize<StoredProfile>(text, Json) ?? throw Damaged("it holds no profile"); }
            catch (JsonException e) { throw Damaged($"it is not valid JSON ({e.Message})", e); }
            var profile = new PeerProfile(stored.Server, stored.Username, stored.ServerFingerprint);
            if (stored.Checksum is not null && stored.Checksum != Checksum(profile))
                throw Damaged("its checksum does not match its contents, so it was changed or damaged on disk "
                    + "(this is not a change of the server's certificate)");
            return profile;
        }
    }

    public void Save(PeerProfile profile)
    {
        lock (_gate)
        {
            var temp = FilePath + ".tmp";
            var stored = new StoredProfile(profile.Server, profile.Username, profile.ServerFingerprint, Checksum(profile));
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(stored, Json)));
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, FilePath, overwrite: true);
        }
    }

    /// <summary>Loads, changes and saves in one step.</summary>
    public PeerProfile Update(Func<PeerProfile, PeerProfile> change)
    {
        lock (_gate)
        {
            var updated = change(Load());
            Save(updated);
            return updated;
        }
    }

    private static string Checksum(PeerProfile profile) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(profile, Json))));

    private InvalidDataException Damaged(string why, Exception? inner = null) => new(
        $"{FilePath} is damaged: {why}. Nothing was changed; move the file aside (or delete it) to start again "
        + "with a fresh profile (the server's fingerprint is then pinned anew, or give --server-fingerprint).", inner);

    /// <summary>What is on disk: the profile's fields and their checksum.</summary>
    private sealed record StoredProfile(string? Server, string? Username, string? ServerFingerprint, string? Checksum);
}
