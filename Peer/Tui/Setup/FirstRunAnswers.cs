// What the first-run prompt found out: where to connect, whether to register, and the credentials.
namespace P2PChat.Peer.Tui.Setup;

/// <param name="Server">"host:port" of the rendezvous server.</param>
/// <param name="Register">True to create an account, false to sign in.</param>
/// <param name="Password">Kept in memory only; the profile must never store it in clear.</param>
public sealed record FirstRunAnswers(string Server, bool Register, string User, string Password)
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"FirstRunAnswers {{ Server = {Server}, Register = {Register}, User = {User} }}";
}
