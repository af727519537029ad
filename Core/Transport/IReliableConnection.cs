// The connection contract shared by the UDP transport and the TCP path.
using System.Net;
using P2PChat.Core.Transport.Protection;

namespace P2PChat.Core.Transport;

/// <summary>A connection to one peer carrying many independent streams and unreliable datagrams.</summary>
public interface IReliableConnection : IAsyncDisposable
{
    EndPoint RemoteEndPoint { get; }

    /// <summary>Opens a new stream; the peer sees it through <see cref="AcceptStreamAsync"/> when the first byte arrives.</summary>
    IReliableStream OpenStream();

    ValueTask<IReliableStream> AcceptStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends one unreliable datagram (no larger than <see cref="MaxDatagramPayload"/>); false if it was dropped locally.</summary>
    bool SendDatagram(ReadOnlySpan<byte> datagram);

    ValueTask<ReadOnlyMemory<byte>> ReceiveDatagramAsync(CancellationToken cancellationToken = default);

    int MaxDatagramPayload { get; }

    /// <summary>Delivers everything written so far, then closes; the peer reads to the end of every stream.</summary>
    Task CloseAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes at once, discarding queued data; the peer's pending operations fail.</summary>
    void Abort();

    /// <summary>
    /// Two-phase switch: keep sending under the current protection, also accept traffic under
    /// <paramref name="protector"/>; the first packet or frame that opens under it switches this side's sending too.
    /// </summary>
    void PrepareProtection(IPacketProtector protector);

    /// <summary>Sends everything under <paramref name="protector"/> from now on; the old protection is accepted on
    /// receive only until the first packet or frame opens under the new one.</summary>
    void UpgradeProtection(IPacketProtector protector);
}
