// Ignore lists of signed-in users held in memory and written through to the store, so a live PM never queries it.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Relations;

/// <summary>
/// A user's ignore list is loaded when the user signs in (<see cref="LoadAsync"/>) and dropped when the user signs off
/// (<see cref="Forget"/>). Checks for a loaded user are answered from memory; checks for anyone else (an offline
/// recipient, whose PM is being stored anyway) go to the store. Changes (<see cref="SetAsync"/>) are committed to
/// the store first and then applied here, so memory never says more than the disk. Users who ignore nobody share one
/// empty set: an idle connection costs nothing here.
/// </summary>
public sealed class IgnoreLists(IRendezvousStore store)
{
    private readonly ConcurrentDictionary<uint, ImmutableHashSet<uint>> _loaded = new();

    public async Task LoadAsync(uint userTag, CancellationToken ct)
    {
        var ignored = await store.ListIgnoredAsync(userTag, ct).ConfigureAwait(false);
        _loaded[userTag] = ignored.Count == 0 ? ImmutableHashSet<uint>.Empty : [.. ignored];
    }

    public void Forget(uint userTag) => _loaded.TryRemove(userTag, out _);

    /// <summary>Does <paramref name="userTag"/> ignore <paramref name="senderTag"/>? From memory when the user is loaded.</summary>
    public ValueTask<bool> IsIgnoringAsync(uint userTag, uint senderTag, CancellationToken ct) =>
        _loaded.TryGetValue(userTag, out var set)
            ? ValueTask.FromResult(set.Contains(senderTag))
            : new ValueTask<bool>(store.IsIgnoringAsync(userTag, senderTag, ct));

    /// <summary>IGNORE on/off: committed to the store, then to memory (when the user is loaded).</summary>
    public async Task SetAsync(uint userTag, uint ignoredTag, bool on, CancellationToken ct)
    {
        if (on) await store.AddIgnoreAsync(userTag, ignoredTag, ct).ConfigureAwait(false);
        else await store.RemoveIgnoreAsync(userTag, ignoredTag, ct).ConfigureAwait(false);
        while (_loaded.TryGetValue(userTag, out var set))
        {
            var changed = on ? set.Add(ignoredTag) : set.Remove(ignoredTag);
            if (_loaded.TryUpdate(userTag, changed, set)) break;
        }
    }
}
