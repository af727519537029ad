// The tag ranges the store allocates from: user tags have the top bit set, channel tags do not.
namespace P2PChat.Rendezvous.Storage;

/// <summary>Tag conventions the store relies on. Tags are never reused and never change.</summary>
public static class StoreTags
{
    /// <summary>Set on every user tag (0x80000000 | n, n = 1, 2, ...).</summary>
    public const uint UserBit = 0x8000_0000;

    /// <summary>The general channel: exists implicitly, everyone is in it, its membership is not stored.</summary>
    public const uint GeneralChannel = 1;

    /// <summary>The name reserved for <see cref="GeneralChannel"/>.</summary>
    public const string GeneralChannelName = "general";

    public static bool IsUser(uint tag) => (tag & UserBit) != 0 && tag != UserBit;

    public static bool IsChannel(uint tag) => (tag & UserBit) == 0 && tag != 0;
}
