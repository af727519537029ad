// A playing card of one 52-card deck: index 0..51 = suit × 13 + rank.
namespace P2PChat.Core.Rooms.Games;

public readonly record struct Card(int Index)
{
    private static readonly string[] Ranks = ["A", "2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K"];
    private static readonly string[] Suits = ["♠", "♥", "♦", "♣"];

    public int Rank => Index % 13 + 1;
    public int Points => Rank switch { 1 => 11, > 10 => 10, var r => r };
    public override string ToString() => Ranks[Index % 13] + Suits[Index / 13];
}
