// How often to send keepalives on a path: from the NAT binding lifetime measured on it, never a fixed guess.
namespace P2PChat.Core.Links.Paths;

/// <summary>
/// What is known about how long our NAT keeps an idle binding: <see cref="Survived"/> is the longest silence after
/// which a check was still answered through the same binding (a lower bound); <see cref="Expired"/> the shortest
/// silence after which the binding was found gone (an upper bound: the peer saw our check come from another port, or
/// the path died). Immutable; the observe methods return the updated estimate.
/// </summary>
public sealed record BindingLifetime(TimeSpan Survived, TimeSpan? Expired)
{
    /// <summary>Nothing measured yet.</summary>
    public static BindingLifetime Unknown { get; } = new(TimeSpan.Zero, null);

    /// <summary>A binding silent for <paramref name="idle"/> still worked.</summary>
    public BindingLifetime ObserveSurvived(TimeSpan idle)
    {
        var survived = idle > Survived ? idle : Survived;
        // A NAT that now keeps bindings longer than an old upper bound (a new network, a rebooted router): forget the bound.
        return new(survived, Expired is { } e && survived >= e ? null : Expired);
    }

    /// <summary>A binding silent for <paramref name="idle"/> was gone.</summary>
    public BindingLifetime ObserveExpired(TimeSpan idle)
    {
        var expired = Expired is { } e && e < idle ? e : idle;
        return new(Survived < expired ? Survived : TimeSpan.Zero, expired);
    }
}

/// <summary>
/// The keepalive interval from a <see cref="BindingLifetime"/>:
/// <list type="bullet">
/// <item>upper bound known (a binding expired after E): half of E, at least <see cref="Floor"/> — two keepalives per
///   lifetime, so one lost keepalive does not lose the binding;</item>
/// <item>no upper bound yet: probe upward, 1.5 × the longest silence survived, starting at <see cref="Start"/>, up to
///   <see cref="Ceiling"/>. A NAT that forgets sooner is found out when a keepalive after a longer silence comes back
///   from another port or not at all; the interval then drops to half of that silence.</item>
/// </list>
/// <see cref="Ceiling"/> is 25 s: the transport's own keepalive limit and below the shortest common UDP timeouts
/// (30 s: Linux conntrack for unreplied flows, many home routers). <see cref="Start"/> is 10 s; <see cref="Floor"/> 1 s.
/// A link with a router-mapped port still needs keepalives for the peer's NAT, so the same rule applies.
/// </summary>
public static class KeepalivePolicy
{
    public static readonly TimeSpan Floor = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(25);
    public const double GrowthFactor = 1.5;

    public static TimeSpan Interval(BindingLifetime lifetime)
    {
        if (lifetime.Expired is { } expired) return Clamp(expired / 2, Floor, Ceiling);
        var grown = lifetime.Survived * GrowthFactor;
        return Clamp(grown > Start ? grown : Start, Floor, Ceiling);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan low, TimeSpan high) => value < low ? low : value > high ? high : value;
}
