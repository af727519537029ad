// The mini-games from seeds: dice notation, roulette and coin, and blackjack's rules with one card per round.
using P2PChat.Core.Rooms;
using P2PChat.Core.Rooms.Games;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class GamesTests
{
    [Fact]
    public void Dice_notation_and_rolls_in_range()
    {
        Assert.Equal(((byte)2, (ushort)6), DiceRoll.Parse("2d6"));
        Assert.Equal(((byte)1, (ushort)20), DiceRoll.Parse("d20"));
        Assert.Equal(((byte)1, (ushort)6), DiceRoll.Parse(null));
        Assert.Throws<RoomProtocolException>(() => DiceRoll.Parse("99d6"));
        Assert.Throws<RoomProtocolException>(() => DiceRoll.Parse("2x6"));
        var roll = DiceRoll.Roll([9, 9], 20, 6);
        Assert.All(roll, d => Assert.InRange(d, 1, 6));
        Assert.Equal(roll, DiceRoll.Roll([9, 9], 20, 6));
    }

    [Fact]
    public void Roulette_has_37_pockets_with_their_colours_and_the_coin_two_faces()
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < 2000; i++)
        {
            var (pocket, colour) = Roulette.Spin(BitConverter.GetBytes(i));
            seen.Add(pocket);
            Assert.Equal(pocket == 0 ? "green" : colour, colour);
        }
        Assert.Equal(37, seen.Count);
        Assert.Contains(Roulette.Coin([1]), new[] { "heads", "tails" });
    }

    [Fact]
    public void Blackjack_deals_player_dealer_player_then_the_dealer_draws_to_17_and_no_card_repeats()
    {
        for (var game = 0; game < 200; game++)
        {
            var hand = new Blackjack();
            var round = 0;
            while (hand.Current != Blackjack.Phase.Finished)
            {
                if (hand.NeedsCard) hand.Draw(BitConverter.GetBytes(game * 1000 + round++));
                else if (Blackjack.Score(hand.Player) < 15) hand.Hit();
                else hand.Stand();
            }
            var cards = hand.Player.Concat(hand.Dealer).ToList();
            Assert.Equal(cards.Count, cards.Distinct().Count());
            Assert.True(Blackjack.Score(hand.Player) > 21 || Blackjack.Score(hand.Dealer) >= 17);
            Assert.Contains(hand.Outcome, new[] { "win", "lose", "push", "blackjack" });
        }
        Assert.Throws<RoomProtocolException>(() => new Blackjack().Stand());
    }
}
