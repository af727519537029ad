// Saved transfers across an upgrade: a record whose manifest is of an older version is set aside with a reason that says so.
using System.Security.Cryptography;
using P2PChat.Core.Files;
using P2PChat.Core.Protocol;
using P2PChat.Peer.Files;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Files;

public sealed class TransferStoreTests
{
    [Fact]
    public void A_saved_transfer_with_a_version_2_manifest_is_set_aside_as_damaged_naming_the_version_and_the_rest_load()
    {
        using var folder = new TempDirectory("p2pchat-transfers");
        var store = new TransferStore(folder.Path);
        TransferRecord Record(string name) => new()
        {
            Direction = TransferDirection.Receive, Peer = new Tag(7), PeerName = "alice", Created = DateTimeOffset.UnixEpoch,
            Manifest = new FileManifest(TransferId.NewRandom(), FileManifest.MinChunkSize, [new ManifestEntry(name, EntryKind.File, 0, SHA256.HashData([]), [])]),
        };
        var current = Record("new.txt");
        var old = Record("old.txt");
        store.Save(current);
        store.Save(old);
        var path = Path.Combine(folder.Path, old.Id + ".transfer");
        var bytes = File.ReadAllBytes(path);
        bytes[^FileManifestCodec.Encode(old.Manifest).Length] = 2; // the record ends with the manifest; its first byte is the version
        File.WriteAllBytes(path, bytes);

        var reasons = new List<string>();
        var loaded = store.LoadAll(reasons.Add);

        Assert.Equal([current.Id], loaded.Select(r => r.Id));
        Assert.Contains("manifest version 2", Assert.Single(reasons));
        Assert.True(File.Exists(path + ".damaged"));
    }
}
