// Which connections may exist: unauthenticated ones per address and in total (checked before TLS), signed-in ones per address.
using System.Collections.Concurrent;
using System.Net;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// Every accepted TCP connection takes an <em>unauthenticated</em> slot (per address and server-wide) before its TLS
/// handshake; without one it is closed at once, before any TLS work. Signing in moves the connection to a
/// <em>signed-in</em> slot of its address (the seed's per-address cap, STATUS 26 when full), freeing the
/// unauthenticated one, so connections that never finish TLS or never sign in cannot lock an address's users out
/// for longer than the handshake timeout and the sign-in deadline. Slots are found by session id. Thread-safe.
/// <code>
///   accept --TryAdmit ok--> Unauthenticated --SignIn ok--> SignedIn
///      | full: closed before TLS      | deadline, close          | close
///      v                              v                          v
///   (nothing held)                 Release (frees the slot it holds)
/// </code>
/// </summary>
public sealed class ConnectionAdmission(int maxUnauthenticatedPerAddress, int maxUnauthenticated, int maxSignedInPerAddress)
{
    private readonly ConnectionLimiter _unauthenticated = new(maxUnauthenticatedPerAddress);
    private readonly ConnectionLimiter _signedIn = new(maxSignedInPerAddress);
    private readonly ConcurrentDictionary<long, Slot> _bySession = new();
    private int _unauthenticatedTotal;

    /// <summary>Connections not signed in yet, server-wide (for tests and diagnostics).</summary>
    public int Unauthenticated => Volatile.Read(ref _unauthenticatedTotal);

    /// <summary>Takes an unauthenticated slot for a new connection from <paramref name="address"/>; null when full.</summary>
    public Slot? TryAdmit(IPAddress address)
    {
        if (Interlocked.Increment(ref _unauthenticatedTotal) > maxUnauthenticated)
        {
            Interlocked.Decrement(ref _unauthenticatedTotal);
            return null;
        }
        if (_unauthenticated.TryAcquire(address)) return new Slot(this, address);
        Interlocked.Decrement(ref _unauthenticatedTotal);
        return null;
    }

    /// <summary>Ties <paramref name="slot"/> to a session, so that <see cref="SignIn"/> finds it.</summary>
    public void Attach(long sessionId, Slot slot) => _bySession[sessionId] = slot;

    /// <summary>The session signed in: its slot becomes a signed-in one. False when its address has the maximum of
    /// signed-in sessions already (the slot stays unauthenticated; the caller closes the session).</summary>
    public bool SignIn(long sessionId) => !_bySession.TryGetValue(sessionId, out var slot) || slot.Promote();

    /// <summary>The connection is gone: frees whatever slot it held.</summary>
    public void Release(long sessionId)
    {
        if (_bySession.TryRemove(sessionId, out var slot)) slot.Dispose();
    }

    /// <summary>One connection's place: unauthenticated until promoted; <see cref="Dispose"/> frees it (once).</summary>
    public sealed class Slot(ConnectionAdmission owner, IPAddress address) : IDisposable
    {
        private readonly object _gate = new();
        private bool _signedIn;
        private bool _released;

        internal bool Promote()
        {
            lock (_gate)
            {
                if (_released) return false;
                if (_signedIn) return true;
                if (!owner._signedIn.TryAcquire(address)) return false;
                _signedIn = true;
                owner._unauthenticated.Release(address);
                Interlocked.Decrement(ref owner._unauthenticatedTotal);
                return true;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_released) return;
                _released = true;
                if (_signedIn) owner._signedIn.Release(address);
                else
                {
                    owner._unauthenticated.Release(address);
                    Interlocked.Decrement(ref owner._unauthenticatedTotal);
                }
            }
        }
    }
}
