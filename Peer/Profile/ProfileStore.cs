// Loads and saves profile.json in the profile folder; saves are atomic (write a temp file, then rename over) and checksummed.
using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace P2PChat.Peer.Profile;

/// <summary>
/// The file is the profile's JSON plus a <c>checksum</c> field: <c>"sha256:" + hex(SHA-256(UTF-8 of the profile's
/// JSON without the checksum))</c>. A file whose checksum does not match was damaged on disk (a flipped byte in the
/// pinned fingerprint must never pass for "the server's certificate has changed", which would teach users to
/// override the pin), so it is refused with a clear <see cref="InvalidDataException"/>, as is an empty or unparsable
/// file. Files written before the checksum existed load as they are and
/// get one on the next save.
/// The JSON is read and written field by field (<see cref="Utf8JsonWriter"/>, <see cref="JsonDocument"/>), not by the
/// reflection-based serializer, which the native AOT peer does not have: the bytes are the serializer's (indented,
/// snake_case names, nulls written; the tests compare them), so files written before load and checksums are unchanged.
/// </summary>
public sealed class ProfileStore
{
    public const string FileName = "profile.json";

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
            try { stored = Parse(text) ?? throw Damaged("it holds no profile"); }
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
                file.Write(Json(stored.Server, stored.Username, stored.ServerFingerprint, withChecksum: true, stored.Checksum));
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
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Json(profile.Server, profile.Username, profile.ServerFingerprint, withChecksum: false, null)));

    /// <summary>The profile's fields (and the checksum field when asked) as an indented JSON object: exactly what
    /// <c>JsonSerializer.Serialize</c> wrote for the record with snake_case names (before the AOT peer).</summary>
    private static ReadOnlySpan<byte> Json(string? server, string? username, string? fingerprint, bool withChecksum, string? checksum)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            Field(w, "server", server);
            Field(w, "username", username);
            Field(w, "server_fingerprint", fingerprint);
            if (withChecksum) Field(w, "checksum", checksum);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan;
    }

    private static void Field(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    /// <summary>The stored fields, or null for a JSON null; <see cref="JsonException"/> for what is not a profile object.
    /// As the serializer did: unknown fields are ignored, missing ones are null, names are case-sensitive.</summary>
    private static StoredProfile? Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return null;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException($"the file holds a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
        string? Text(string name) => !root.TryGetProperty(name, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => null,
            _ => throw new JsonException($"its {name} is a JSON {v.ValueKind.ToString().ToLowerInvariant()}, not a string"),
        };
        return new StoredProfile(Text("server"), Text("username"), Text("server_fingerprint"), Text("checksum"));
    }

    private InvalidDataException Damaged(string why, Exception? inner = null) => new(
        $"{FilePath} is damaged: {why}. Nothing was changed; move the file aside (or delete it) to start again "
        + "with a fresh profile (the server's fingerprint is then pinned anew, or give --server-fingerprint).", inner);

    /// <summary>What is on disk: the profile's fields and their checksum.</summary>
    private sealed record StoredProfile(string? Server, string? Username, string? ServerFingerprint, string? Checksum);
}
