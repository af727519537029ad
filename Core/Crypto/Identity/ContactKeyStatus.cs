// How far a contact's identity key is trusted; the states of ContactKeyBook.
namespace P2PChat.Core.Crypto.Identity;

/// <summary>How far a contact's identity key is trusted.</summary>
public enum ContactKeyStatus : byte
{
    /// <summary>Never seen.</summary>
    Unknown = 0,
    /// <summary>Accepted on first use, or re-accepted with /trust; not compared out of band.</summary>
    Trusted = 1,
    /// <summary>The user compared safety numbers (/verify).</summary>
    Verified = 2,
    /// <summary>A different key was presented: raise key_changed and hold outgoing messages until /trust or /verify.</summary>
    Changed = 3,
}
