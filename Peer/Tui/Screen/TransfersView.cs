// The transfers panel: one row per transfer, a label and a Terminal.Gui ProgressBar, under the message view.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// Row layout: "↑ bob  report.pdf  42%" (↑ sending, ↓ receiving; "done"/"failed" instead of the percentage)
/// in the left half, the progress bar in the right half. The panel is as tall as the transfers it shows
/// (<see cref="MaxRows"/> at most, newest last) and takes no room when there are none.
/// </summary>
internal sealed class TransfersView : View
{
    public const int MaxRows = 4;

    private readonly ChatViewState _state;
    private readonly List<(Label Label, ProgressBar Bar)> _rows = [];

    public TransfersView(ChatViewState state)
    {
        _state = state;
        CanFocus = false;
        SetScheme(new Scheme(Theme.Plain));
    }

    /// <summary>Rows the panel needs now.</summary>
    public int WantedRows => Math.Min(MaxRows, _state.Transfers().Count);

    /// <summary>Brings the rows in line with the state (UI thread).</summary>
    public void Update()
    {
        var shown = _state.Transfers().TakeLast(MaxRows).ToList();
        while (_rows.Count < shown.Count)
        {
            int y = _rows.Count;
            var label = new Label { X = 0, Y = y, Width = Dim.Percent(50), Height = 1 };
            var bar = new ProgressBar { X = Pos.Percent(50), Y = y, Width = Dim.Fill(), Height = 1 };
            Add(label, bar);
            _rows.Add((label, bar));
        }
        while (_rows.Count > shown.Count)
        {
            var (label, bar) = _rows[^1];
            Remove(label);
            Remove(bar);
            label.Dispose();
            bar.Dispose();
            _rows.RemoveAt(_rows.Count - 1);
        }
        for (int i = 0; i < shown.Count; i++)
        {
            var (label, bar) = _rows[i];
            string text = LabelOf(shown[i]);
            if (label.Text != text) label.Text = text; // setting a view's text redraws it even when it is the same
            if (bar.Fraction != shown[i].Fraction) bar.Fraction = shown[i].Fraction;
        }
    }

    internal static string LabelOf(TransferView t)
    {
        string arrow = t.Direction == TransferDirection.Sending ? "↑" : "↓";
        string progress = t.Status switch
        {
            TransferStatus.Done => "done",
            TransferStatus.Failed => "failed",
            TransferStatus.Waiting => "waiting",
            _ => $"{(int)(t.Fraction * 100)}%",
        };
        return $"{arrow} {t.Peer}  {t.File}  {progress}";
    }
}
