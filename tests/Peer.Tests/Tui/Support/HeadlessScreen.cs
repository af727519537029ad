// The main screen on Terminal.Gui's headless ANSI driver: keys and mouse injected, the screen read back as text.
using P2PChat.Peer.Tui;
using P2PChat.Peer.Tui.Screen;
using P2PChat.Peer.Tui.State;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Support;

/// <summary>Terminal.Gui keeps process-wide state while an application runs: tests using it never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TerminalGuiCollection
{
    public const string Name = "Terminal.Gui headless driver";
}

/// <summary>
/// Driver: <see cref="DriverRegistry.Names.ANSI"/> with DisableRealDriverIO=1 (nothing reaches the real terminal).
/// <see cref="Text"/> refreshes the window from the state, lays out and draws, and returns the driver's cells.
/// </summary>
internal sealed class HeadlessScreen : IDisposable
{
    private readonly SessionToken? _session;

    public HeadlessScreen(ChatViewState state, int width = 80, int height = 24, Action<string>? submit = null)
    {
        Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
        State = state;
        App = Application.Create();
        App.Init(DriverRegistry.Names.ANSI);
        App.Driver!.SetScreenSize(width, height);
        Window = new ChatWindow(state, submit ?? Submitted.Add);
        TuiApp.Attach(App, Window, state);
        _session = App.Begin(Window);
        Window.Input.SetFocus();
    }

    public IApplication App { get; }
    public ChatWindow Window { get; }
    public ChatViewState State { get; }
    public List<string> Submitted { get; } = [];

    public void Press(Key key) => App.GetInputInjector().InjectKey(key, new InputInjectionOptions());

    public void Type(string text)
    {
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext()) Press(new Key(elements.GetTextElement()));
    }

    /// <summary>A left click at a screen cell (press and release, as a terminal reports it).</summary>
    public void Click(int x, int y) =>
        App.GetInputInjector().InjectMouse(new Mouse { Flags = MouseFlags.LeftButtonClicked, ScreenPosition = new System.Drawing.Point(x, y) }, new InputInjectionOptions());

    public void Wheel(int x, int y, bool up) =>
        App.GetInputInjector().InjectMouse(new Mouse { Flags = up ? MouseFlags.WheeledUp : MouseFlags.WheeledDown, ScreenPosition = new System.Drawing.Point(x, y) }, new InputInjectionOptions());

    public void Resize(int width, int height) => App.Driver!.SetScreenSize(width, height);

    /// <summary>The screen as text, one line per row (trailing spaces kept).</summary>
    public string[] Lines()
    {
        Window.Refresh();
        App.LayoutAndDraw(true);
        return App.Driver!.ToString()!.Replace("\r", "").TrimEnd('\n').Split('\n');
    }

    public string Text() => string.Join('\n', Lines());

    /// <summary>One frame of <paramref name="state"/> at a size, as text lines.</summary>
    public static string[] LinesOf(ChatViewState state, int width, int height)
    {
        using var screen = new HeadlessScreen(state, width, height);
        return screen.Lines();
    }

    /// <summary>The screen with colour escapes (for style checks).</summary>
    public string Ansi()
    {
        Window.Refresh();
        App.LayoutAndDraw(true);
        return App.Driver!.ToAnsi();
    }

    public void Dispose()
    {
        if (_session is not null) App.End(_session);
        Window.Dispose();
        App.Dispose();
    }
}
