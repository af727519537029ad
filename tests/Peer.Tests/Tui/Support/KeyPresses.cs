// Drives an InputController the way a terminal would: typed text char by char, and single special keys.
using P2PChat.Peer.Tui.Input;

namespace P2PChat.Peer.Tests.Tui.Support;

public static class KeyPresses
{
    public static void Type(this InputController controller, string text)
    {
        foreach (char c in text) controller.Handle(new ConsoleKeyInfo(c, 0, false, false, false));
    }

    public static void Press(this InputController controller, ConsoleKey key, char c = '\0', bool alt = false, bool ctrl = false) =>
        controller.Handle(new ConsoleKeyInfo(c, key, false, alt, ctrl));
}
