// The private halves of one's prekeys: the current and previous signed prekey and the unused one-time prekeys.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Rotation: a new signed prekey every <see cref="SignedPrekeyLifetime"/> (checked at each sign-in); the previous one
/// is kept so that first messages made from it still open, until the next rotation. One-time prekeys are deleted when
/// a prekey message that names them is accepted. Base keys of accepted prekey messages are remembered (at most
/// <see cref="MaxRememberedBaseKeys"/>) so that a replayed first message cannot start a second session.
/// Stored layout (sealed by the vault; integers big-endian):
/// <code>
/// version 0x01 | next id u32 | signed created unix ms i64 | u16 len | signed prekey private (PrekeyPair.ExportPrivate)
/// | u16 len | previous signed prekey private (len 0: none) | u16 n | n × (u16 len | one-time prekey private)
/// | u16 m | m × SHA-256(base key)[0..16)
/// </code>
/// Not thread-safe: the owner serialises calls.
/// </summary>
public sealed class PrekeyRing : IDisposable
{
    public static readonly TimeSpan SignedPrekeyLifetime = TimeSpan.FromDays(7);
    public const int MaxRememberedBaseKeys = 2000;
    private const byte Version = 0x01;

    private readonly Dictionary<uint, PrekeyPair> _oneTime = [];
    private readonly List<byte[]> _seenBaseKeys = [];
    private uint _nextId;

    private PrekeyRing(PrekeyPair signed, DateTimeOffset signedCreated, PrekeyPair? previous, uint nextId)
    {
        Signed = signed;
        SignedCreated = signedCreated;
        Previous = previous;
        _nextId = nextId;
    }

    public PrekeyPair Signed { get; private set; }
    public DateTimeOffset SignedCreated { get; private set; }
    public PrekeyPair? Previous { get; private set; }
    public int OneTimeCount => _oneTime.Count;

    public static PrekeyRing Create(IdentityKeyPair owner, DateTimeOffset now) =>
        new(PrekeyPair.CreateSigned(owner, 1, null), now, null, 2);

    /// <summary>Makes a new signed prekey when the current one is older than its lifetime; returns whether it did.</summary>
    public bool RotateIfDue(IdentityKeyPair owner, DateTimeOffset now)
    {
        if (now - SignedCreated < SignedPrekeyLifetime) return false;
        Previous?.Dispose();
        Previous = Signed;
        Signed = PrekeyPair.CreateSigned(owner, _nextId++, null);
        SignedCreated = now;
        return true;
    }

    /// <summary>Makes <paramref name="count"/> one-time prekeys and returns their public encodings (69 bytes each) for upload.</summary>
    public IReadOnlyList<byte[]> AddOneTime(int count)
    {
        var batch = PrekeyPair.CreateOneTimeBatch(_nextId, count, null);
        _nextId += (uint)count;
        foreach (var key in batch) _oneTime[key.Id] = key;
        return [.. batch.Select(k => k.ToOneTimePublic().Encode())];
    }

    public PrekeyPair? FindSigned(uint id) => Signed.Id == id ? Signed : Previous?.Id == id ? Previous : null;

    public PrekeyPair? FindOneTime(uint id) => _oneTime.GetValueOrDefault(id);

    /// <summary>Deletes a one-time prekey once a session made from it was accepted.</summary>
    public void DeleteOneTime(uint id)
    {
        if (_oneTime.Remove(id, out var key)) key.Dispose();
    }

    public bool HasSeenBaseKey(ReadOnlySpan<byte> baseKey)
    {
        var digest = Digest(baseKey);
        return _seenBaseKeys.Any(d => d.AsSpan().SequenceEqual(digest));
    }

    public void RememberBaseKey(ReadOnlySpan<byte> baseKey)
    {
        _seenBaseKeys.Add(Digest(baseKey));
        if (_seenBaseKeys.Count > MaxRememberedBaseKeys) _seenBaseKeys.RemoveAt(0);
    }

    private static byte[] Digest(ReadOnlySpan<byte> baseKey) => SHA256.HashData(baseKey)[..16];

    public byte[] Serialize()
    {
        var buffer = new ByteWriter().Byte(Version);
        buffer.UInt32(_nextId);
        buffer.Int64(SignedCreated.ToUnixTimeMilliseconds());
        WriteSecret(buffer, Signed.ExportPrivate());
        WriteSecret(buffer, Previous?.ExportPrivate() ?? []);
        buffer.UInt16(checked((ushort)_oneTime.Count));
        foreach (var key in _oneTime.Values.OrderBy(k => k.Id)) WriteSecret(buffer, key.ExportPrivate());
        buffer.UInt16(checked((ushort)_seenBaseKeys.Count));
        foreach (var digest in _seenBaseKeys) buffer.Bytes(digest);
        return buffer.ToArray();
    }

    public static PrekeyRing Deserialize(ReadOnlySpan<byte> state)
    {
        var r = StoredRecord.Reader(state);
        if (r.ReadByte() != Version) throw new CryptoProtocolException(CryptoFailure.UnsupportedVersion, "prekey ring version");
        var nextId = r.ReadUInt32();
        var created = DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64());
        var signed = PrekeyPair.ImportPrivate(r.ReadBlob16());
        var previousBytes = r.ReadBlob16();
        var ring = new PrekeyRing(signed, created, previousBytes.Length == 0 ? null : PrekeyPair.ImportPrivate(previousBytes), nextId);
        for (int i = 0, n = r.ReadUInt16(); i < n; i++)
        {
            var key = PrekeyPair.ImportPrivate(r.ReadBlob16());
            ring._oneTime[key.Id] = key;
        }
        for (int i = 0, n = r.ReadUInt16(); i < n; i++) ring._seenBaseKeys.Add(r.ReadBytes(16).ToArray());
        r.ExpectEnd("stored key record");
        return ring;
    }

    private static void WriteSecret(ByteWriter s, byte[] secret)
    {
        s.Blob16(secret);
        CryptographicOperations.ZeroMemory(secret);
    }

    public void Dispose()
    {
        Signed.Dispose();
        Previous?.Dispose();
        foreach (var key in _oneTime.Values) key.Dispose();
        _oneTime.Clear();
    }
}
