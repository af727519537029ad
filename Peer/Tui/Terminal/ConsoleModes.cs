// Puts the real console into the modes the TUI needs and restores them on dispose.
using System.Runtime.InteropServices;
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// Ctrl-C arrives as a key (Console.TreatControlCAsInput) so the app can restore the terminal itself;
/// SIGTERM asks the UI to quit the same way; SIGWINCH marks the screen dirty so a resize redraws at once.
/// </summary>
internal sealed class ConsoleModes : IDisposable
{
    private readonly bool _oldTreatControlC;
    private readonly List<PosixSignalRegistration> _signals = [];

    public ConsoleModes(ChatViewState state)
    {
        try
        {
            _oldTreatControlC = Console.TreatControlCAsInput;
            Console.TreatControlCAsInput = true;
        }
        catch (IOException)
        {
            // no console attached (redirected): nothing to change
        }
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            state.RequestQuit();
        }));
        if (!OperatingSystem.IsWindows())
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => state.MarkDirty()));
    }

    public void Dispose()
    {
        foreach (var signal in _signals) signal.Dispose();
        try
        {
            Console.TreatControlCAsInput = _oldTreatControlC;
        }
        catch (IOException)
        {
            // no console attached
        }
    }
}
