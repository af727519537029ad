// Shorthands for the STATUS replies command handlers send.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

public static class Replies
{
    /// <summary>Sends STATUS <paramref name="code"/> answering <paramref name="re"/>.</summary>
    public static ValueTask ReplyAsync(this Session s, StatusCode code, Opcode re, CancellationToken ct,
        Tag subject = default, uint value = 0, string text = "") =>
        s.SendAsync(new Status(code, re, subject, value, text), ct);

    public static ValueTask OkAsync(this Session s, Opcode re, CancellationToken ct, Tag subject = default) =>
        s.ReplyAsync(StatusCode.Ok, re, ct, subject);

    /// <summary>Sends a closing STATUS and ends the session.</summary>
    public static void CloseWith(this Session s, StatusCode code, Opcode re, string text, Tag subject = default, uint value = 0) =>
        s.Close(new Status(code, re, subject, value, text));

    /// <summary>Whole seconds, rounded up, for "seconds left" values.</summary>
    public static uint Seconds(TimeSpan t) => (uint)Math.Max(0, Math.Ceiling(t.TotalSeconds));
}
