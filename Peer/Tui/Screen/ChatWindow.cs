// The main screen as Terminal.Gui views: title, buffer list, messages, members, status line, prompt and input.
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// Layout (<see cref="ScreenLayout"/>): row 0 title · rows 1..H-3 buffer list │ messages (the transfers panel
/// under them while there are transfers) │ members · row H-2
/// status line · row H-1 prompt and input field. Columns are computed by <c>Pos.Func</c>/<c>Dim.Func</c> from the
/// window's size and whether the member list is shown, so a resize or F7 re-lays out on the next frame.
/// Keys: <see cref="HandleKey"/> (called from the application's KeyDown, before the focused field) applies the
/// <see cref="KeyMap"/> table. Network threads never touch views: <see cref="Refresh"/> runs on the UI thread
/// (a timer) and marks views dirty when the state's version moved, so a burst of messages costs one frame.
/// </summary>
internal sealed class ChatWindow : Runnable
{
    private readonly ChatViewState _state;
    private readonly InputController _controller;
    private readonly RowsView[] _regions;
    private long _drawnVersion = -1;
    private readonly Action<string> _submit;
    private (bool Flashing, long Minute) _drawnClock;
    private (bool Members, int Transfers, int Prompt) _laidOut = (false, -1, -1);

    public ChatWindow(ChatViewState state, Action<string> submit)
    {
        _state = state;
        _controller = new InputController(state, line => SubmitOrBrowse(line, submit));
        _submit = submit;
        Width = Dim.Fill();
        Height = Dim.Fill();
        SetScheme(new Scheme(Theme.Plain));

        Title = new TitleBarView(state) { X = 0, Y = 0, Width = Dim.Fill(), Height = 1 };
        Buffers = new BufferListView(state, index => Apply(new TuiAction(TuiActionKind.SwitchBuffer, Number: index)))
        {
            X = 0, Y = 1, Width = Dim.Func(_ => Regions.BufferListWidth + 1), Height = Dim.Func(_ => Regions.BodyHeight),
        };
        Transfers = new TransfersView(state);
        Messages = new MessageView(state)
        {
            X = Pos.Func(_ => Regions.BufferListWidth + 1), Y = 1, Width = Dim.Func(_ => Regions.MessageWidth),
            Height = Dim.Func(_ => Math.Max(1, Regions.BodyHeight - Transfers.WantedRows)),
        };
        Transfers.X = Pos.Func(_ => Regions.BufferListWidth + 1);
        Transfers.Y = Pos.Func(_ => 1 + Regions.BodyHeight - Transfers.WantedRows);
        Transfers.Width = Dim.Func(_ => Regions.MessageWidth);
        Transfers.Height = Dim.Func(_ => Transfers.WantedRows);
        Members = new MemberListView(state, OpenPrivate)
        {
            X = Pos.Func(_ => Regions.BufferListWidth + 1 + Regions.MessageWidth), Y = 1,
            Width = Dim.Func(_ => Regions.ShowsMembers ? Regions.MemberListWidth + 1 : 0), Height = Dim.Func(_ => Regions.BodyHeight),
        };
        Status = new StatusLineView(state) { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1 };
        Prompt = new PromptView(state) { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Func(_ => Prompt!.WidthFor(Viewport.Width)), Height = 1 };
        Input = new InputField(state) { X = Pos.Right(Prompt), Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1 };
        Add(Title, Buffers, Messages, Transfers, Members, Status, Prompt, Input);
        _regions = [Title, Buffers, Messages, Members, Status, Prompt];
    }

    internal new TitleBarView Title { get; }
    internal BufferListView Buffers { get; }
    internal MessageView Messages { get; }
    internal TransfersView Transfers { get; }
    internal MemberListView Members { get; }
    internal StatusLineView Status { get; }
    internal PromptView Prompt { get; }
    internal InputField Input { get; }

    private ScreenLayout Regions
    {
        get
        {
            bool wantMembers;
            lock (_state.Gate) wantMembers = _state.ShowMembers && _state.Buffers.Current.HasMemberList;
            return ScreenLayout.For(Math.Max(ScreenLayout.MinWidth, Viewport.Width), Math.Max(ScreenLayout.MinHeight, Viewport.Height), wantMembers);
        }
    }

    /// <summary>"/send USER" without a file opens the file browser (after this key is handled); other lines go on as they are.</summary>
    private void SubmitOrBrowse(string line, Action<string> submit)
    {
        if (SendCommand.UserWithoutPath(line) is not { } user || App is not { } app)
        {
            submit(line);
            return;
        }
        app.Invoke(() =>
        {
            if (FileChooser.Choose(app, $"Send a file to {user}") is { } path) submit(SendCommand.WithPath(user, path));
        });
    }

    /// <summary>
    /// An offer waiting for an answer (<see cref="ChatViewState.AskOffer"/>) gets the modal <see cref="OfferDialog"/>
    /// once no other dialog is open; its answer is submitted as a command line (/accept ID or /reject ID).
    /// </summary>
    private void AskPendingOffer()
    {
        if (_asking || App is not { } app || app.TopRunnableView != this || _state.TakeOffer() is not { } offer) return;
        _asking = true;
        app.Invoke(() =>
        {
            try { Answer(app, offer); }
            finally { _asking = false; }
            AskPendingOffer(); // the next one, if several came at once
        });
    }

    /// <summary>Puts <paramref name="offer"/> to the user in the modal dialog and submits the answer's line (UI thread).</summary>
    internal void Answer(IApplication app, PendingOffer offer) => _submit(OfferDialog.Ask(app, offer.View) ? offer.AcceptLine : offer.RejectLine);

    private bool _asking;

    /// <summary>A click on a member: their private buffer, opened and shown (as /query does).</summary>
    private void OpenPrivate(string nick)
    {
        Input.PushToState();
        _state.OpenBuffer(BufferIds.ForPeer(nick), switchTo: true);
        _state.SetRoute(nick, PeerRoute.Server);
        Refresh(force: true);
    }

    /// <summary>A key from the application's KeyDown: a mapped action is applied; other non-editing keys are swallowed.</summary>
    public bool HandleKey(Key key)
    {
        var action = KeyMap.Map(key);
        if (action.Kind != TuiActionKind.None)
        {
            Apply(action);
            return true;
        }
        return !KeyMap.IsEditingKey(key);
    }

    /// <summary>Applies an action with the field's current line, then shows what changed.</summary>
    public void Apply(TuiAction action)
    {
        Input.PushToState();
        _controller.Apply(action);
        Refresh(force: true);
    }

    /// <summary>
    /// Runs on the UI thread each frame: pulls a changed input line and, when the state or the clock moved (or
    /// <paramref name="force"/>), recomposes the regions; only regions whose rows changed are redrawn, and the
    /// layout is redone only when the member list, the transfers panel or the prompt's width changed. The members
    /// come after the messages in <c>_regions</c>.
    /// </summary>
    public void Refresh(bool force = false)
    {
        Input.PullFromState();
        AskPendingOffer();
        var now = _state.Time.GetUtcNow();
        long version = _state.Changes.Version;
        (bool, long) clock;
        lock (_state.Gate) clock = (_state.Status.IsFlashing(now), now.ToUnixTimeSeconds() / 60);
        if (!force && version == _drawnVersion && clock == _drawnClock) return;
        (_drawnVersion, _drawnClock) = (version, clock);
        Transfers.Update();
        var layout = (Regions.ShowsMembers, Transfers.WantedRows, Prompt.WidthFor(Viewport.Width));
        if (layout != _laidOut)
        {
            _laidOut = layout;
            SetNeedsLayout();
            foreach (var region in _regions) region.SetNeedsLayout();
            Layout();
        }
        foreach (var region in _regions)
        {
            // A terminal that draws an emoji sequence wider than Terminal.Gui counts (tmux: 👍🏽 in four cells, not
            // two) shifts the rest of that row, so the member list right of redrawn messages is redrawn as well.
            if (region.Recompose() && region == Messages && !Members.Recompose()) Members.SetNeedsDraw();
        }
    }
}
