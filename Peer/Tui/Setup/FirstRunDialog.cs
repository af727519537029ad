// The first-run dialog: server, register or sign in, user name, masked password (twice when registering).
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace P2PChat.Peer.Tui.Setup;

/// <summary>
/// Fields (Tab moves between them; the first empty one has the focus): Server (the known one filled in) · [x] Register a new account (checked when
/// no user is known) · User (the known one filled in) · Password and Repeat (masked; Repeat only counts when
/// registering). Enter or "Connect" checks the answers (<see cref="FirstRunRules.Problem"/>): a problem is shown
/// in the dialog, which stays open; Esc, Ctrl-C or "Quit" gives up.
/// </summary>
internal sealed class FirstRunDialog : Dialog
{
    private readonly TextField _server, _user, _password, _repeat;
    private readonly CheckBox _register;
    private readonly Label _problem;

    public FirstRunDialog(string? knownServer, string? knownUser)
    {
        Title = "Welcome to P2PChat";
        Width = Dim.Percent(80);
        Height = 13;
        _server = Field(0, "Server (host:port):", knownServer ?? "", secret: false);
        _register = new CheckBox { X = 1, Y = 1, Text = "_Register a new account (else sign in)", Value = knownUser is null ? CheckState.Checked : CheckState.UnChecked };
        _user = Field(2, "User name:", knownUser ?? "", secret: false);
        _password = Field(3, "Password:", "", secret: true);
        _repeat = Field(4, "Repeat password:", "", secret: true);
        _problem = new Label { X = 1, Y = 6, Width = Dim.Fill(1), Text = "" };
        _problem.SetScheme(new Scheme(Theme.ErrorTag));
        Add(_register, _problem);
        var connect = new Button { Text = "_Connect", IsDefault = true };
        var quit = new Button { Text = "_Quit" };
        connect.Accepting += (_, e) =>
        {
            e.Handled = true;
            if (Answers() is { } answers) Finish(answers);
        };
        quit.Accepting += (_, e) =>
        {
            e.Handled = true;
            Finish(null);
        };
        AddButton(quit);
        AddButton(connect); // the dialog's last button is its default: Enter in any field connects
    }

    /// <summary>The accepted answers, or null when the user gave up.</summary>
    public FirstRunAnswers? Answered { get; private set; }

    /// <summary>Once running, the first field still empty has the focus (the password when server and user are known).</summary>
    protected override void OnIsRunningChanged(bool newIsRunning)
    {
        base.OnIsRunningChanged(newIsRunning);
        if (newIsRunning) FirstEmptyField().SetFocus();
    }

    internal TextField FirstEmptyField() =>
        _server.Text.Length == 0 ? _server : _user.Text.Length == 0 ? _user : _password;

    /// <summary>Shows the dialog on <paramref name="app"/> until answered; null when given up.</summary>
    public static FirstRunAnswers? Ask(IApplication app, string? knownServer, string? knownUser)
    {
        using var dialog = new FirstRunDialog(knownServer, knownUser);
        app.Keyboard.KeyDown += CancelOnCtrlC;
        try
        {
            app.Run(dialog);
        }
        finally
        {
            app.Keyboard.KeyDown -= CancelOnCtrlC;
        }
        return dialog.Answered;

        void CancelOnCtrlC(object? sender, Key key)
        {
            if (key != Key.C.WithCtrl) return;
            key.Handled = true;
            dialog.Finish(null);
        }
    }

    /// <summary>Checks the fields: the answers, or null after showing what is wrong.</summary>
    internal FirstRunAnswers? Answers()
    {
        bool register = _register.Value == CheckState.Checked;
        var problem = FirstRunRules.Problem(_server.Text, register, _user.Text, _password.Text, _repeat.Text);
        _problem.Text = problem ?? "";
        return problem is null ? new FirstRunAnswers(_server.Text.Trim(), register, _user.Text.Trim(), _password.Text) : null;
    }

    private void Finish(FirstRunAnswers? answers)
    {
        Answered = answers;
        App?.RequestStop(this);
    }

    private TextField Field(int row, string label, string value, bool secret)
    {
        var caption = new Label { X = 1, Y = row == 0 ? 0 : row, Text = label };
        var field = new TextField { X = 21, Y = row, Width = Dim.Fill(1), Text = value, Secret = secret };
        Add(caption, field);
        return field;
    }
}
