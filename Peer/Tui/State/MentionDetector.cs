// Decides whether a message mentions me: "@nick" or my nick as a whole word, case-insensitive.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// A word is a run of letters, digits, '_' and '-'. "@alice", "alice:", "hi alice!" mention alice;
/// "alicex", "malice" and "alice_2" do not.
/// </summary>
public static class MentionDetector
{
    public static bool Mentions(string text, string? nick)
    {
        if (string.IsNullOrEmpty(nick) || text.Length < nick.Length) return false;
        int from = 0;
        while (true)
        {
            int at = text.IndexOf(nick, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0) return false;
            int end = at + nick.Length;
            bool startsWord = at == 0 || !IsWordChar(text[at - 1]) || text[at - 1] == '@';
            bool endsWord = end == text.Length || !IsWordChar(text[end]);
            if (startsWord && endsWord) return true;
            from = at + 1;
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';
}
