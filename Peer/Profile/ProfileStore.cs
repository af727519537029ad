// Loads and saves profile.json in the profile folder; saves are atomic (write a temp file, then rename over).
using System.Text.Json;

namespace P2PChat.Peer.Profile;

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
    /// <exception cref="InvalidDataException">the file exists but is not a profile.</exception>
    public PeerProfile Load()
    {
        lock (_gate)
        {
            if (!File.Exists(FilePath)) return new PeerProfile();
            try { return JsonSerializer.Deserialize<PeerProfile>(File.ReadAllText(FilePath), Json) ?? new PeerProfile(); }
            catch (JsonException e) { throw new InvalidDataException($"{FilePath} is not a valid profile: {e.Message}", e); }
        }
    }

    public void Save(PeerProfile profile)
    {
        lock (_gate)
        {
            var temp = FilePath + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(profile, Json));
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
}
