// A bounded, insertion-ordered store of secret keys: adding beyond capacity wipes and evicts the oldest; removal wipes.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>Holds skipped message keys (ratchet and sender keys) so memory stays bounded whatever a peer sends.</summary>
internal sealed class BoundedKeyStore<TKey>(int capacity) where TKey : notnull
{
    private readonly OrderedDictionary<TKey, byte[]> _keys = new();

    public int Capacity { get; } = capacity;
    public int Count => _keys.Count;
    public IEnumerable<KeyValuePair<TKey, byte[]>> OldestFirst => _keys;

    public bool TryGet(TKey id, out byte[] key) => _keys.TryGetValue(id, out key!);

    public void Remove(TKey id)
    {
        if (_keys.Remove(id, out var key)) CryptographicOperations.ZeroMemory(key);
    }

    public void Add(TKey id, byte[] key)
    {
        while (_keys.Count >= Capacity)
        {
            CryptographicOperations.ZeroMemory(_keys.GetAt(0).Value);
            _keys.RemoveAt(0);
        }
        _keys[id] = key;
    }

    public void Clear()
    {
        foreach (var key in _keys.Values) CryptographicOperations.ZeroMemory(key);
        _keys.Clear();
    }
}
