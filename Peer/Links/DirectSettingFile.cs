// Keeps this peer's `/set direct` choice in the profile folder (a one-word text file), friends by default.
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Links;

public sealed class DirectSettingFile(string? profileFolder)
{
    public const string FileName = "direct-links.txt";
    private DirectSetting? _cached;

    public static string Name(DirectSetting s) => s.ToString().ToLowerInvariant();

    public static DirectSetting? Parse(string word) => word.ToLowerInvariant() switch
    {
        "friends" => DirectSetting.Friends,
        "everyone" => DirectSetting.Everyone,
        "nobody" => DirectSetting.Nobody,
        _ => null,
    };

    public DirectSetting Current
    {
        get
        {
            if (_cached is { } c) return c;
            var read = profileFolder is not null && File.Exists(Path.Combine(profileFolder, FileName))
                ? Parse(File.ReadAllText(Path.Combine(profileFolder, FileName)).Trim()) : null;
            return (_cached = read ?? DirectSetting.Friends).Value;
        }
    }

    /// <summary>Stores the setting (written to a temporary file and renamed, so a crash leaves the old or the new one).</summary>
    public void Set(DirectSetting setting)
    {
        _cached = setting;
        if (profileFolder is null) return;
        Directory.CreateDirectory(profileFolder);
        var path = Path.Combine(profileFolder, FileName);
        File.WriteAllText(path + ".tmp", Name(setting) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
