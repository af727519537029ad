// What seeing a contact's identity key means: first contact, the same key, or a change to announce (key_changed).
namespace P2PChat.Core.Crypto.Identity;

/// <summary>What observing a presented key means.</summary>
public enum KeyObservation
{
    FirstSeen,
    Unchanged,
    Changed,
}
