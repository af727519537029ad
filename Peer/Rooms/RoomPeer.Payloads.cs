// What members post and read: chat, votes, commit-reveal rounds, and the games played on their seeds.
using System.Globalization;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using P2PChat.Core.Rooms.Games;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Rooms;

public sealed partial class RoomPeer
{
    private readonly Dictionary<ulong, CommitRevealRound> _rounds = [];
    private readonly Dictionary<ulong, RoomPayload.Round> _roundInfo = [];
    private readonly Dictionary<ulong, byte[]> _myNonces = [];
    private readonly Dictionary<ulong, (Tag By, RoomPayload.GameStart Start, Blackjack? Hand)> _games = [];
    private readonly Dictionary<ulong, long> _roundStarted = [];
    private ulong? _rotationRound;
    private ulong _nextRound = (ulong)Random.Shared.NextInt64() & ~0xFFFFUL;
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Encrypts <paramref name="payload"/> under our sender key and posts it (kept until a host delivers it).</summary>
    public void Send(RoomPayload payload)
    {
        if (_left) throw new RoomProtocolException("you left this room");
        var entry = _log.Post(_own.Encrypt(GroupId, payload.Encode()));
        _ownPlain[entry.Id.Sequence] = payload;
        // Saved before it leaves: a post we crash after sending is resent after the restart, never lost.
        SendWhenSaved(entry);
    }

    private byte[] GroupId => BitConverter.GetBytes(Id.Value);

    private void OnDeliver(RoomDelivery d)
    {
        _dirty = true;
        var sender = d.Entry.Id.Sender;
        if (sender == _ctx.Me)
        {
            if (_log.Accept(d) && _ownPlain.Remove(d.Entry.Id.Sequence, out var mine)) Apply(sender, mine, d);
            return;
        }
        if (!_log.IsNew(d.Entry.Id))
        {
            _log.Accept(d);
            return;
        }
        RoomPayload payload;
        try
        {
            var keyId = GroupReceiverKey.ReadKeyId(d.Entry.Ciphertext);
            if (!_receivers.TryGetValue((sender, keyId), out var key))
            {
                if (_undecryptable.Count < RoomLog.Window) _undecryptable.Add(d);
                return;
            }
            payload = RoomPayload.Decode(key.Decrypt(GroupId, d.Entry.Ciphertext));
        }
        catch (CryptoProtocolException e) when (e.Reason is CryptoFailure.Replayed)
        {
            _log.Accept(d);   // from before we held this sender's key (history older than our membership)
            return;
        }
        catch (Exception e) when (e is CryptoProtocolException or RoomProtocolException)
        {
            _log.Accept(d);
            RefusedPost(sender, $"unreadable post from {Name(sender)}: {e.Message}");
            return;
        }
        if (_log.Accept(d)) Apply(sender, payload, d);
    }

    private void RefusedPost(Tag sender, string reason)
    {
        if (IsHost) Strike(sender, reason);
        else Publish(new RoomMemberEvent(Id.ToString(), Name(sender), "refused", reason));
    }

    private void Apply(Tag sender, RoomPayload payload, RoomDelivery d)
    {
        try
        {
            switch (payload)
            {
                case RoomPayload.Text t:
                    Publish(new MessageEvent(Name(sender), Target, t.Body, _ctx.Time.GetUtcNow(), false, "room", true, d.Entry.Id.Sequence));
                    break;
                case RoomPayload.Vote v when v.Epoch < State.Epoch:
                    // Cast in an earlier epoch: read late (its sender key came after the handoff) or resent to the new
                    // host after it; it counts only in its epoch, so it is stale here, and an honest race, not an offence
                    // (a vote for a later epoch or a non-member is still refused and struck, below). Votes, the handoff's
                    // last one included, are posts: a member's resend of its outbox after the handoff carried it here.
                    break;
                case RoomPayload.Vote v:
                    _votes.Cast(State, sender, v.Candidate, v.Epoch);
                    var winner = _votes.Winner(State);
                    Publish(new RoomVoteEvent(Id.ToString(), Name(sender), Name(v.Candidate), v.Epoch, winner is { } w ? Name(w) : null));
                    if (IsHost && winner is { } elected && elected != _ctx.Me) Handoff(elected, "vote");
                    break;
                case RoomPayload.Round r:
                    OnRound(sender, r);
                    break;
                case RoomPayload.Commit c:
                    OnCommit(sender, c);
                    break;
                case RoomPayload.Reveal r:
                    OnReveal(sender, r);
                    break;
                case RoomPayload.GameStart g:
                    OnGameStart(sender, g);
                    break;
                case RoomPayload.GameMove m:
                    OnGameMove(sender, m);
                    break;
            }
        }
        catch (RoomProtocolException e)
        {
            RefusedPost(sender, e.Message);
        }
    }

    /// <summary>The host opens a round among the members online now; everyone commits, then reveals.</summary>
    private void StartRound(RoomPayload.RoundPurpose purpose, ulong gameId)
    {
        var participants = new[] { _ctx.Me }.Concat(_members.Keys).Distinct().OrderBy(t => t.Value).ToList();
        var draws = _games.TryGetValue(gameId, out var game) && game.Hand is { } hand ? hand.Player.Count + hand.Dealer.Count : 0;
        var id = purpose == RoomPayload.RoundPurpose.Rotation ? (_nextRound += 0x10000) : gameId + (ulong)draws + 1;
        if (purpose == RoomPayload.RoundPurpose.Rotation) _rotationRound = id;
        Send(new RoomPayload.Round(id, purpose, participants));
    }

    private void OnRound(Tag sender, RoomPayload.Round r)
    {
        if (sender != State.Host) throw new RoomProtocolException("only the host opens a round");
        if (_rounds.TryGetValue(r.Id, out var existing))
        {
            if (r.Participants.Count == 0) VoidRound(existing, "the host ended the round: " + string.Join(", ", Withholders(existing).Select(Name)) + " did not reveal");
            return;
        }
        var round = new CommitRevealRound(Id, r.Id, r.Participants, DateTimeOffset.MinValue, TimeSpan.MaxValue / 4);
        _rounds[r.Id] = round;
        _roundInfo[r.Id] = r;
        _roundStarted[r.Id] = _ctx.Time.GetTimestamp();
        if (r.Purpose == RoomPayload.RoundPurpose.Rotation) _rotationRound = r.Id;
        if (r.Participants.Contains(_ctx.Me))
        {
            var nonce = CommitRevealRound.NewNonce();
            _myNonces[r.Id] = nonce;
            Send(new RoomPayload.Commit(r.Id, CommitRevealRound.Commitment(Id, r.Id, _ctx.Me, nonce)));
        }
    }

    private void OnCommit(Tag sender, RoomPayload.Commit c)
    {
        var round = _rounds.GetValueOrDefault(c.RoundId) ?? throw new RoomProtocolException($"a commitment for unknown round {c.RoundId}");
        round.Commit(sender, c.Commitment, DateTimeOffset.MinValue);
        if (round.Current == CommitRevealRound.Phase.Revealing && _myNonces.Remove(c.RoundId, out var nonce))
            Send(new RoomPayload.Reveal(c.RoundId, nonce));
    }

    private void OnReveal(Tag sender, RoomPayload.Reveal r)
    {
        var round = _rounds.GetValueOrDefault(r.RoundId) ?? throw new RoomProtocolException($"a reveal for unknown round {r.RoundId}");
        round.Reveal(sender, r.Nonce, DateTimeOffset.MinValue);
        if (round.Current == CommitRevealRound.Phase.Done) RoundDone(round);
    }

    private static IEnumerable<Tag> Withholders(CommitRevealRound round) =>
        round.Participants.Where(t => !round.Commitments.ContainsKey(t) || !round.Reveals.ContainsKey(t));

    private void VoidRound(CommitRevealRound round, string why)
    {
        _rounds.Remove(round.RoundId);
        var info = _roundInfo[round.RoundId];
        if (_rotationRound == round.RoundId) _rotationRound = null;
        foreach (var t in Withholders(round).ToList()) RefusedPost(t, $"withheld in round {round.RoundId}");
        var gameId = round.RoundId & ~0xFFFFUL;
        if (info.Purpose == RoomPayload.RoundPurpose.Game && _games.Remove(gameId, out var game))
            Publish(new RoomGameEvent(Id.ToString(), GameName(game.Start.Game), Name(game.By), "void: " + why, round.RoundId, "", Proof(round.Commitments), Proof(round.Reveals)));
        else if (IsHost && info.Purpose == RoomPayload.RoundPurpose.Rotation) _hostSince = _ctx.Time.GetTimestamp();
    }

    /// <summary>Host only: a round past its deadline is ended for everyone (an empty round with the same id).</summary>
    private void ExpireRounds()
    {
        foreach (var (id, started) in _roundStarted.ToList())
        {
            if (!_rounds.TryGetValue(id, out var round) || round.Current == CommitRevealRound.Phase.Done)
            {
                _roundStarted.Remove(id);
                continue;
            }
            if (_ctx.Time.GetElapsedTime(started) < RoundTimeout) continue;
            _roundStarted.Remove(id);
            Send(new RoomPayload.Round(id, _roundInfo[id].Purpose, []));
        }
    }

    private static IReadOnlyDictionary<string, string> ProofOf(IReadOnlyDictionary<Tag, byte[]> values, Func<Tag, string> name) =>
        values.ToDictionary(kv => name(kv.Key), kv => Convert.ToHexString(kv.Value).ToLowerInvariant());

    private IReadOnlyDictionary<string, string> Proof(IReadOnlyDictionary<Tag, byte[]> values) => ProofOf(values, Name);

    private void RoundDone(CommitRevealRound round)
    {
        var info = _roundInfo[round.RoundId];
        var seed = round.Seed!;
        _roundStarted.Remove(round.RoundId);
        _rounds.Remove(round.RoundId);
        if (info.Purpose == RoomPayload.RoundPurpose.Rotation)
        {
            var drawn = round.Participants[FairDraw.Uniform(seed, 0, round.Participants.Count)];
            Publish(GameEvent("rotation", State.Host, Name(drawn), round));
            _rotationRound = null;
            if (IsHost)
            {
                _hostSince = _ctx.Time.GetTimestamp();
                if (drawn != _ctx.Me) Handoff(drawn, "rotation");
            }
            return;
        }
        var gameId = round.RoundId & ~0xFFFFUL;
        if (!_games.TryGetValue(gameId, out var game)) return;
        switch (game.Start.Game)
        {
            case RoomPayload.GameKind.Roll:
                var dice = DiceRoll.Roll(seed, game.Start.Dice, game.Start.Sides);
                Publish(GameEvent("roll", game.By, $"{game.Start.Dice}d{game.Start.Sides}: {string.Join(' ', dice)} = {dice.Sum()}", round));
                _games.Remove(gameId);
                break;
            case RoomPayload.GameKind.Roulette:
                var (pocket, colour) = Roulette.Spin(seed);
                Publish(GameEvent("roulette", game.By, $"{pocket} {colour}", round));
                _games.Remove(gameId);
                break;
            case RoomPayload.GameKind.Coin:
                Publish(GameEvent("coin", game.By, Roulette.Coin(seed), round));
                _games.Remove(gameId);
                break;
            case RoomPayload.GameKind.Blackjack:
                var hand = game.Hand!;
                var card = hand.Draw(seed);
                var table = $"drew {card}; player {string.Join(' ', hand.Player)} ({Blackjack.Score(hand.Player)}), dealer {string.Join(' ', hand.Dealer)} ({Blackjack.Score(hand.Dealer)})";
                if (hand.Current == Blackjack.Phase.Finished)
                {
                    table += "; " + hand.Outcome;
                    _games.Remove(gameId);
                }
                else if (hand.Current == Blackjack.Phase.PlayerTurn) table += $"; {Name(game.By)} to play: /hit or /stand";
                Publish(GameEvent("blackjack", game.By, table, round));
                if (IsHost && hand.NeedsCard) StartRound(RoomPayload.RoundPurpose.Game, gameId);
                break;
        }
    }

    private RoomGameEvent GameEvent(string game, Tag by, string result, CommitRevealRound round) =>
        new(Id.ToString(), game, Name(by), result, round.RoundId, Convert.ToHexString(round.Seed!).ToLowerInvariant(), Proof(round.Commitments), Proof(round.Reveals));

    private static string GameName(RoomPayload.GameKind kind) => kind.ToString().ToLowerInvariant();

    private void OnGameStart(Tag sender, RoomPayload.GameStart g)
    {
        if ((g.GameId & 0xFFFF) != 0 || _games.ContainsKey(g.GameId)) throw new RoomProtocolException("a game id must be fresh and end in 16 zero bits");
        if (g.Game == RoomPayload.GameKind.Roll) DiceRoll.Roll(new byte[32], g.Dice, g.Sides);
        if (g.Game == RoomPayload.GameKind.Blackjack && _games.Values.Any(x => x.By == sender && x.Hand is not null))
            throw new RoomProtocolException($"{Name(sender)} already has a blackjack hand");
        _games[g.GameId] = (sender, g, g.Game == RoomPayload.GameKind.Blackjack ? new Blackjack() : null);
        if (IsHost) StartRound(RoomPayload.RoundPurpose.Game, g.GameId);
    }

    private void OnGameMove(Tag sender, RoomPayload.GameMove m)
    {
        if (!_games.TryGetValue(m.GameId, out var game) || game.Hand is null || game.By != sender)
            throw new RoomProtocolException("a move in someone else's or no blackjack hand");
        if (m.Play == RoomPayload.Move.Hit) game.Hand.Hit(); else game.Hand.Stand();
        if (IsHost && game.Hand.NeedsCard) StartRound(RoomPayload.RoundPurpose.Game, m.GameId);
    }

    /// <summary>A new game id: random, low 16 bits zero (they number the game's rounds).</summary>
    public static ulong NewGameId() => (ulong)Random.Shared.NextInt64() & ~0xFFFFUL;

    /// <summary>Our open blackjack hand's game id, for /hit and /stand.</summary>
    public ulong? MyHand() => _games.FirstOrDefault(g => g.Value.By == _ctx.Me && g.Value.Hand is not null).Key is var id && id != 0 ? id : null;

    internal static string Hex(ulong v) => v.ToString("x16", CultureInfo.InvariantCulture);
}
