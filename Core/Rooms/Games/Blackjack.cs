// Blackjack against a dealer in a room: the hand's state machine; every card comes from a fresh commit-reveal round.
namespace P2PChat.Core.Rooms.Games;

/// <summary>
/// One 52-card deck, no card drawn twice: each card = the remaining deck's card at FairDraw.Uniform(seed, 0, remaining),
/// with a fresh seed (a new commit-reveal round among all members) per card, so nobody, the host included, knows or
/// biases the next card — not even the dealer's second card, which is only drawn once the player stands.
/// <code>
/// Dealing (player, dealer, player) → PlayerTurn --hit--> PlayerHit --card--> PlayerTurn | Finished (bust over 21)
///                                               --stand--> DealerTurn (draws while under 17) → Finished
/// </code>
/// Aces count 11 or 1; a two-card 21 is blackjack. Outcome: win, lose, push (tie), blackjack.
/// </summary>
public sealed class Blackjack
{
    private readonly List<int> _deck = [.. Enumerable.Range(0, 52)];
    private readonly List<Card> _player = [];
    private readonly List<Card> _dealer = [];

    public enum Phase { Dealing, PlayerTurn, PlayerHit, DealerTurn, Finished }

    public Phase Current { get; private set; } = Phase.Dealing;
    public IReadOnlyList<Card> Player => _player;
    public IReadOnlyList<Card> Dealer => _dealer;
    public string? Outcome { get; private set; }

    /// <summary>Whether the game waits for a card (a commit-reveal round) rather than for the player.</summary>
    public bool NeedsCard => Current is Phase.Dealing or Phase.PlayerHit or Phase.DealerTurn;

    public static int Score(IReadOnlyList<Card> hand)
    {
        var total = hand.Sum(c => c.Points);
        var aces = hand.Count(c => c.Rank == 1);
        while (total > 21 && aces-- > 0) total -= 10;
        return total;
    }

    /// <summary>Draws the next card from the seed of a finished round and gives it to whoever it is for.</summary>
    public Card Draw(ReadOnlySpan<byte> seed)
    {
        if (!NeedsCard) throw new RoomProtocolException("blackjack: no card is due");
        var position = FairDraw.Uniform(seed, 0, _deck.Count);
        var card = new Card(_deck[position]);
        _deck.RemoveAt(position);
        switch (Current)
        {
            case Phase.Dealing:
                (_player.Count + _dealer.Count == 1 ? _dealer : _player).Add(card);
                if (_player.Count == 2) AfterPlayerCard();
                break;
            case Phase.PlayerHit:
                _player.Add(card);
                AfterPlayerCard();
                break;
            default:
                _dealer.Add(card);
                if (Score(_dealer) >= 17) Finish();
                break;
        }
        return card;
    }

    private void AfterPlayerCard()
    {
        var score = Score(_player);
        if (score > 21) Finish();
        else Current = score == 21 ? Phase.DealerTurn : Phase.PlayerTurn;
    }

    public void Hit()
    {
        if (Current != Phase.PlayerTurn) throw new RoomProtocolException("blackjack: not the player's turn");
        Current = Phase.PlayerHit;
    }

    public void Stand()
    {
        if (Current != Phase.PlayerTurn) throw new RoomProtocolException("blackjack: not the player's turn");
        Current = Phase.DealerTurn;
    }

    private void Finish()
    {
        Current = Phase.Finished;
        int p = Score(_player), d = Score(_dealer);
        Outcome = p > 21 ? "lose" : p == 21 && _player.Count == 2 && !(d == 21 && _dealer.Count == 2) ? "blackjack"
            : d > 21 || p > d ? "win" : p == d ? "push" : "lose";
    }
}
