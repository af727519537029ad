// Channels and their member lists held in memory, loaded on first use and refreshed after every membership change.
using System.Collections.Concurrent;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Relations;

/// <summary>A channel as the store last committed it, with its members (join order) and a set for lookups.</summary>
public sealed class ChannelRoster(Channel channel, IReadOnlyList<ChannelMember> members)
{
    private readonly Dictionary<uint, bool> _operatorByMember = members.ToDictionary(m => m.UserTag, m => m.IsOperator);

    public Channel Channel { get; } = channel;
    public IReadOnlyList<ChannelMember> Members { get; } = members;
    public bool IsMember(uint userTag) => _operatorByMember.ContainsKey(userTag);
    public bool IsOperator(uint userTag) => _operatorByMember.TryGetValue(userTag, out var op) && op;
}

/// <summary>
/// Channel lookups for the live message path: <see cref="GetAsync"/> answers from memory after the first load.
/// Every command that changes a channel or its members commits to the store and then calls <see cref="Invalidate"/>;
/// a load that raced with a change is not kept (each channel has a version, bumped by every invalidation, and a
/// load is cached only if the version did not move while it read the store). Unknown tags are never cached.
/// Memory grows with the number of channels in use, not with connections.
/// </summary>
public sealed class ChannelRosters(IRendezvousStore store)
{
    private readonly ConcurrentDictionary<uint, ChannelRoster> _rosters = new();
    private readonly Dictionary<uint, long> _versions = [];
    private readonly object _gate = new();

    /// <summary>The channel and its members, or null when there is no such channel.</summary>
    public async ValueTask<ChannelRoster?> GetAsync(uint channelTag, CancellationToken ct)
    {
        if (_rosters.TryGetValue(channelTag, out var cached)) return cached;
        long version;
        lock (_gate) version = _versions.GetValueOrDefault(channelTag);
        if (await store.FindChannelByTagAsync(channelTag, ct).ConfigureAwait(false) is not { } channel) return null;
        var roster = new ChannelRoster(channel, await store.ListChannelMembersAsync(channelTag, ct).ConfigureAwait(false));
        lock (_gate)
            if (_versions.GetValueOrDefault(channelTag) == version) _rosters[channelTag] = roster;
        return roster;
    }

    /// <summary>The store changed this channel (members, topic, deletion): the next lookup reads it again.</summary>
    public void Invalidate(uint channelTag)
    {
        lock (_gate)
        {
            _versions[channelTag] = _versions.GetValueOrDefault(channelTag) + 1;
            _rosters.TryRemove(channelTag, out _);
        }
    }
}
