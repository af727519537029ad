// The checks REGISTER and IAM share before looking at an account: the address throttle and the required fields.
using P2PChat.Core.Protocol;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

internal static class CredentialChecks
{
    /// <summary>The one answer to IAM for an unknown user and for a wrong password alike (STATUS 4).</summary>
    public const string WrongCredentials = "wrong username or password";

    /// <summary>STATUS 24 (closes) when the address is blocked; STATUS 0 when username or password is empty.</summary>
    public static async Task<bool> AdmitAsync(ServerContext ctx, Session s, Opcode re, string username, string password, CancellationToken ct)
    {
        if (ctx.Logins.BlockedFor(s.Address) is { } blocked)
        {
            CloseBlocked(s, re, blocked);
            return false;
        }
        if (username.Length == 0 || password.Length == 0)
        {
            await s.ReplyAsync(StatusCode.NotEnoughData, re, ct, text: "username and password are required");
            return false;
        }
        return true;
    }

    public static void CloseBlocked(Session s, Opcode re, TimeSpan left) =>
        s.CloseWith(StatusCode.LoginsBlocked, re, "too many failed sign-ins from this address", value: Replies.Seconds(left));
}
