// One commit-reveal round among the members: randomness no single member (the host included) can know or bias.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// State machine (every member runs the same one on the same host-ordered posts, so all agree):
/// <code>
/// Committing --all participants committed--> Revealing --all revealed--> Done (Seed)
/// Committing --deadline--> Revealing without the silent (nothing was revealed yet: dropping them biases nothing)
///                          or Failed if nobody committed
/// Revealing  --deadline--> Failed (Withholders): the round is void, the withholders are struck, a new round starts
/// </code>
/// commitment = SHA-256("P2PChat room commit v1" | room id u64 | round id u64 | member tag u32 | nonce (32)).
/// seed = SHA-256("P2PChat room seed v1" | room id | round id | for each revealer in tag order: tag u32 | nonce).
/// A reveal is accepted only once every commitment is in, and only if it matches its commitment (else refused, and
/// the member struck). As long as one participant's nonce is uniformly random and secret until the commitments are
/// fixed, the seed is uniform; a member's only lever is to withhold its reveal, which voids the round, is seen by
/// all, and excludes it past the strike threshold (docs/rooms.md §7).
/// </summary>
public sealed class CommitRevealRound
{
    public const int NonceLength = 32;
    private static readonly byte[] CommitLabel = "P2PChat room commit v1"u8.ToArray();
    private static readonly byte[] SeedLabel = "P2PChat room seed v1"u8.ToArray();
    private readonly Dictionary<Tag, byte[]> _commitments = [];
    private readonly Dictionary<Tag, byte[]> _reveals = [];
    private readonly List<Tag> _participants;
    private DateTimeOffset _deadline;

    public CommitRevealRound(RoomId room, ulong roundId, IEnumerable<Tag> participants, DateTimeOffset now, TimeSpan phaseTimeout)
    {
        Room = room;
        RoundId = roundId;
        _participants = [.. participants.Distinct().OrderBy(t => t.Value)];
        if (_participants.Count == 0) throw new RoomProtocolException("a round needs participants");
        PhaseTimeout = phaseTimeout;
        _deadline = now + phaseTimeout;
    }

    public enum Phase { Committing, Revealing, Done, Failed }

    public RoomId Room { get; }
    public ulong RoundId { get; }
    public TimeSpan PhaseTimeout { get; }
    public Phase Current { get; private set; } = Phase.Committing;
    public IReadOnlyList<Tag> Participants => _participants;
    public IReadOnlyDictionary<Tag, byte[]> Commitments => _commitments;
    public IReadOnlyDictionary<Tag, byte[]> Reveals => _reveals;
    public byte[]? Seed { get; private set; }
    public IReadOnlyList<Tag> Withholders { get; private set; } = [];
    public DateTimeOffset Deadline => _deadline;

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    public static byte[] Commitment(RoomId room, ulong roundId, Tag member, ReadOnlySpan<byte> nonce) =>
        SHA256.HashData(new ByteWriter(80).Bytes(CommitLabel).UInt64(room.Value).UInt64(roundId).UInt32(member.Value).Bytes(nonce).ToArray());

    public void Commit(Tag member, byte[] commitment, DateTimeOffset now)
    {
        Expire(now);
        if (Current != Phase.Committing) throw new RoomProtocolException($"round {RoundId}: commitments are closed");
        if (!_participants.Contains(member)) throw new RoomProtocolException($"round {RoundId}: {member} is not a participant");
        if (commitment.Length != 32) throw new RoomProtocolException("a commitment is 32 bytes");
        if (!_commitments.TryAdd(member, commitment)) throw new RoomProtocolException($"round {RoundId}: {member} committed twice");
        if (_commitments.Count == _participants.Count) Open(now);
    }

    public void Reveal(Tag member, byte[] nonce, DateTimeOffset now)
    {
        Expire(now);
        if (Current != Phase.Revealing) throw new RoomProtocolException($"round {RoundId}: not revealing");
        if (!_commitments.TryGetValue(member, out var commitment)) throw new RoomProtocolException($"round {RoundId}: {member} made no commitment");
        if (nonce.Length != NonceLength || !CryptographicOperations.FixedTimeEquals(Commitment(Room, RoundId, member, nonce), commitment))
            throw new RoomProtocolException($"round {RoundId}: {member}'s reveal does not match its commitment");
        if (!_reveals.TryAdd(member, nonce)) throw new RoomProtocolException($"round {RoundId}: {member} revealed twice");
        if (_reveals.Count == _commitments.Count) Finish();
    }

    /// <summary>Applies the deadline; call from a timer or before every input.</summary>
    public void Expire(DateTimeOffset now)
    {
        if (now < _deadline) return;
        if (Current == Phase.Committing)
        {
            if (_commitments.Count == 0) Fail([.. _participants]);
            else
            {
                _participants.RemoveAll(t => !_commitments.ContainsKey(t));
                Open(now);
            }
        }
        else if (Current == Phase.Revealing) Fail([.. _commitments.Keys.Where(t => !_reveals.ContainsKey(t)).OrderBy(t => t.Value)]);
    }

    private void Open(DateTimeOffset now)
    {
        Current = Phase.Revealing;
        _deadline = now + PhaseTimeout;
    }

    private void Fail(IReadOnlyList<Tag> withholders)
    {
        Current = Phase.Failed;
        Withholders = withholders;
    }

    private void Finish()
    {
        var w = new ByteWriter(64 + _reveals.Count * 36).Bytes(SeedLabel).UInt64(Room.Value).UInt64(RoundId);
        foreach (var t in _reveals.Keys.OrderBy(t => t.Value)) w.UInt32(t.Value).Bytes(_reveals[t]);
        Seed = SHA256.HashData(w.ToArray());
        Current = Phase.Done;
    }

    /// <summary>Recomputes the seed from a published transcript: what anyone can check.</summary>
    public static byte[] Verify(RoomId room, ulong roundId, IReadOnlyDictionary<Tag, byte[]> commitments, IReadOnlyDictionary<Tag, byte[]> reveals)
    {
        var round = new CommitRevealRound(room, roundId, commitments.Keys, DateTimeOffset.MinValue, TimeSpan.MaxValue / 4);
        foreach (var (t, c) in commitments) round.Commit(t, c, DateTimeOffset.MinValue);
        foreach (var (t, n) in reveals) round.Reveal(t, n, DateTimeOffset.MinValue);
        return round.Seed ?? throw new RoomProtocolException("the transcript is incomplete");
    }
}
