// The per-connection limits a session needs, taken from the server options.
namespace P2PChat.Rendezvous.Sessions;

/// <param name="Deltas">delays roster deltas to coalesce them (null: each goes into the queue at once).</param>
public sealed record SessionSettings(int MaxFrameSize, int SendQueueCapacity, TimeSpan IdleTimeout, DeltaFlusher? Deltas = null);
