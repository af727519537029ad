// The log file of a TUI run (p2pchat.log in the profile): the screen belongs to the UI, so diagnostics go here.
using P2PChat.Peer.Events;
using P2PChat.Peer.Headless;

namespace P2PChat.Peer.Hosting;

/// <summary>
/// Appends timestamped lines to <c>p2pchat.log</c>. <see cref="Capture"/> points Console.Out and Console.Error here,
/// so nothing stray can reach the terminal. Message texts are not logged (they are in history.db).
/// </summary>
public sealed class RunLog : IDisposable
{
    public const string FileName = "p2pchat.log";
    private readonly StreamWriter _file;
    private readonly TextWriter _writer;
    private (TextWriter Out, TextWriter Error)? _console;

    private RunLog(string path)
    {
        _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _writer = TextWriter.Synchronized(_file);
    }

    public static RunLog Open(string profileFolder) => new(Path.Combine(profileFolder, FileName));

    public TextWriter Writer => _writer;

    public void Line(string text) => _writer.WriteLine($"{DateTimeOffset.UtcNow:O} {text}");

    public void Event(ClientEvent e) =>
        Line(e is MessageEvent m ? $"message from {m.From} to {m.To} ({m.Text.Length} chars)" : EventJson.Serialize(e));

    /// <summary>Until disposed, Console.Out and Console.Error write to this log.</summary>
    public void Capture()
    {
        _console ??= (Console.Out, Console.Error);
        Console.SetOut(_writer);
        Console.SetError(_writer);
    }

    /// <summary>Gives the console its writers back and closes the file.</summary>
    public void Dispose()
    {
        if (_console is var (output, error))
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
        _file.Dispose();
    }
}
