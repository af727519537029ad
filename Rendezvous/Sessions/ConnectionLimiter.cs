// Counts open connections per IP address and refuses those beyond the cap.
using System.Net;

namespace P2PChat.Rendezvous.Sessions;

public sealed class ConnectionLimiter(int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _open = [];
    private readonly object _gate = new();

    /// <summary>Takes a slot for <paramref name="address"/>; false (nothing taken) when it has the maximum already.</summary>
    public bool TryAcquire(IPAddress address)
    {
        lock (_gate)
        {
            _open.TryGetValue(address, out var n);
            if (n >= maxPerAddress) return false;
            _open[address] = n + 1;
            return true;
        }
    }

    public void Release(IPAddress address)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(address, out var n)) return;
            if (n <= 1) _open.Remove(address);
            else _open[address] = n - 1;
        }
    }
}
