// The per-connection limits a session needs, taken from the server options.
namespace P2PChat.Rendezvous.Sessions;

public sealed record SessionSettings(int MaxFrameSize, int SendQueueCapacity, TimeSpan IdleTimeout);
