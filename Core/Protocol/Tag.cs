// A 32-bit tag naming a user or a channel; the top bit tells which (0 = channel, 1 = user).
namespace P2PChat.Core.Protocol;

/// <summary>
/// Users and channels are named on the wire by fixed-size tags, so a user can rename freely.
/// Channel tags have the top bit 0, user tags the top bit 1; tag 1 is the general channel; tag 0 means "none".
/// </summary>
public readonly record struct Tag(uint Value)
{
    public const uint UserBit = 0x8000_0000;

    public static readonly Tag None = new(0);
    public static readonly Tag General = new(1);

    public bool IsNone => Value == 0;
    public bool IsUser => (Value & UserBit) != 0;
    public bool IsChannel => Value != 0 && (Value & UserBit) == 0;

    public static Tag User(uint index) => new(UserBit | index);
    public static Tag Channel(uint index) => index is 0 or >= UserBit
        ? throw new ArgumentOutOfRangeException(nameof(index))
        : new(index);

    public override string ToString() => $"0x{Value:x8}";
}
