// The first-run dialog through Terminal.Gui's headless driver: focus, masked passwords, problems shown, answers.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Setup;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Setup;

[Collection(TerminalGuiCollection.Name)]
public sealed class FirstRunDialogTests : IDisposable
{
    private readonly IApplication _app;

    public FirstRunDialogTests()
    {
        Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");
        _app = Application.Create();
        _app.Init(DriverRegistry.Names.ANSI);
        _app.Driver!.SetScreenSize(100, 30);
    }

    public void Dispose() => _app.Dispose();

    private void Type(string text)
    {
        foreach (char c in text) Press(new Key(c));
    }

    private void Press(Key key) => _app.GetInputInjector().InjectKey(key, new InputInjectionOptions());

    private string Screen()
    {
        _app.LayoutAndDraw(true);
        return _app.Driver!.ToString()!;
    }

    [Fact]
    public void Registering_fills_the_user_and_twice_the_masked_password_and_enter_connects()
    {
        using var dialog = new FirstRunDialog("127.0.0.1:7777", null);
        var session = _app.Begin(dialog)!;
        Assert.Contains("127.0.0.1:7777", Screen());
        Assert.Contains("☑ Register a new account", Screen());

        Type("dave");
        Press(Key.Tab);
        Type("secret-pw1");
        Press(Key.Tab);
        Type("secret-pw1");
        var screen = Screen();
        Assert.DoesNotContain("secret-pw1", screen);
        Assert.True(screen.Contains("∙∙∙∙∙∙∙∙∙∙"), screen); // Terminal.Gui masks with ∙
        Press(Key.Enter);

        Assert.Equal(new FirstRunAnswers("127.0.0.1:7777", true, "dave", "secret-pw1"), dialog.Answered);
        _app.End(session);
    }

    [Fact]
    public void A_problem_is_shown_in_the_dialog_and_nothing_is_answered()
    {
        using var dialog = new FirstRunDialog("127.0.0.1:7777", "bob");
        var session = _app.Begin(dialog)!;
        Assert.Contains("☐ Register a new account", Screen());
        Press(Key.Enter); // the password is still empty
        var shown = Screen();
        Assert.True(shown.Contains("Type your password."), shown);
        Assert.Null(dialog.Answered);
        Type("pw");
        Press(Key.Enter);
        Assert.Equal(new FirstRunAnswers("127.0.0.1:7777", false, "bob", "pw"), dialog.Answered);
        _app.End(session);
    }
}
