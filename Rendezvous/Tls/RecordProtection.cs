// One direction of a TLS 1.3 connection after the handshake: traffic secret, key, iv, sequence number, key updates.
using System.Security.Cryptography;

namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// Seals (our direction) or opens (the peer's) records with the current application traffic key and counts them.
/// The AEAD object, which holds a native cipher context (about 1.1 KiB of OpenSSL memory), exists only while records
/// flow: it is made on first use and <see cref="ReleaseCipher"/> drops it (an idle connection then keeps 60–100 bytes
/// of keys, not a context). <see cref="ReleaseCipher"/> may run on any thread (the idle sweeper): a seal or open takes
/// the context out of its slot while it uses it and puts it back after, so the sweeper never disposes one in use.
/// Otherwise not thread-safe: one reader uses the peer's direction, writes (serialised by the stream) use ours.
/// </summary>
public sealed class RecordProtection : IDisposable
{
    private readonly TlsCipherSuite _suite;
    private readonly byte[] _secret;
    private byte[] _key;
    private byte[] _iv;
    private RecordAead? _aead;

    /// <param name="secret">the application traffic secret; owned (and zeroed) by this object from now on.</param>
    /// <param name="sequence">records already protected with this secret (e.g. tickets OpenSSL sent).</param>
    public RecordProtection(TlsCipherSuite suite, byte[] secret, ulong sequence = 0)
    {
        if (secret.Length != TlsCipherSuites.SecretLength(suite)) throw new ArgumentException("traffic secret of the wrong length", nameof(secret));
        _suite = suite;
        _secret = secret;
        (_key, _iv) = TrafficKeys.Derive(suite, secret);
        Sequence = sequence;
    }

    public TlsCipherSuite Suite => _suite;

    /// <summary>The sequence number of the next record (records protected with the current key so far).</summary>
    public ulong Sequence { get; private set; }

    /// <summary>Whether a cipher context is held now (for tests and memory checks).</summary>
    public bool HoldsCipher => Volatile.Read(ref _aead) is not null;

    /// <summary>Set by every seal and open; the idle sweeper clears it (<see cref="TakeUsed"/>).</summary>
    private int _used;

    /// <summary>True when a record was sealed or opened since the last call.</summary>
    public bool TakeUsed() => Interlocked.Exchange(ref _used, 0) != 0;

    private RecordAead RentAead()
    {
        _used = 1;
        return Interlocked.Exchange(ref _aead, null) ?? new RecordAead(_suite, _key);
    }

    private void ReturnAead(RecordAead aead)
    {
        if (Interlocked.CompareExchange(ref _aead, aead, null) is not null) aead.Dispose();
    }

    public int Seal(TlsContentType type, ReadOnlySpan<byte> content, Span<byte> destination)
    {
        // Never reached in practice (a KeyUpdate comes every 2^24 records), but a nonce must never repeat.
        if (Sequence == ulong.MaxValue) throw new TlsAlertException(TlsAlert.InternalError, false, "TLS sequence number exhausted");
        var aead = RentAead();
        try
        {
            var n = RecordCodec.Seal(aead, _iv, Sequence, type, content, destination);
            Sequence++;
            return n;
        }
        finally { ReturnAead(aead); }
    }

    public (TlsContentType Type, int Length) Open(Span<byte> record)
    {
        if (Sequence == ulong.MaxValue) throw new TlsAlertException(TlsAlert.UnexpectedMessage, false, "the peer did not update its key before the sequence number ran out");
        var aead = RentAead();
        try
        {
            var opened = RecordCodec.Open(aead, _iv, Sequence, record);
            Sequence++;
            return opened;
        }
        finally { ReturnAead(aead); }
    }

    /// <summary>Moves to the next traffic secret (a KeyUpdate, RFC 8446 §7.2); the sequence number starts again at 0.</summary>
    public void Update()
    {
        TrafficKeys.Next(_suite, _secret);
        ReleaseCipher();
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(_iv);
        (_key, _iv) = TrafficKeys.Derive(_suite, _secret);
        Sequence = 0;
    }

    /// <summary>Drops the cipher context (if it is not in use right now); the next record makes a new one from the key.</summary>
    public void ReleaseCipher() => Interlocked.Exchange(ref _aead, null)?.Dispose();

    /// <summary>Zeroes the secret, key and iv and drops the cipher context (which zeroes its own copy of the key).</summary>
    public void Dispose()
    {
        ReleaseCipher();
        CryptographicOperations.ZeroMemory(_secret);
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(_iv);
    }
}
