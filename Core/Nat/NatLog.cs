// How Core/Nat reports what it refused or gave up on: one plain line per event, wired to a real logger by the host.
namespace P2PChat.Core.Nat;

/// <summary>Receives one human-readable line (no trailing newline). Core has no logging package; the executables adapt it.</summary>
public delegate void NatLog(string line);

internal static class NatLogExtensions
{
    /// <summary>Logs without letting a faulty sink break packet handling.</summary>
    public static void Write(this NatLog? log, string line)
    {
        if (log is null) return;
        try { log(line); } catch (Exception) { }
    }
}
