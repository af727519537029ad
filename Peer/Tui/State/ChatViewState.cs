// The TUI's view state: the one object network and input threads mutate and the render loop draws.
using P2PChat.Peer.Tui.Text;

namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Thread-safe: every public member takes <see cref="Gate"/>, changes state and marks the screen dirty; the
/// render loop takes the same lock while composing a frame (about a millisecond). Text from the network is
/// sanitised here (control characters can not reach the terminal) and capped at <see cref="MaxTextLength"/>.
/// </summary>
public sealed partial class ChatViewState
{
    public const int DefaultScrollback = 20_000;
    public const int MaxTextLength = 16 * 1024;
    public static readonly TimeSpan FlashDuration = TimeSpan.FromMilliseconds(1500);

    private readonly TaskCompletionSource _quit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string[] _commands = [];
    private int _bells;

    public ChatViewState(TimeProvider? time = null, int scrollbackCapacity = DefaultScrollback)
    {
        Time = time ?? TimeProvider.System;
        Buffers = new BufferSet(scrollbackCapacity).Init();
    }

    internal object Gate { get; } = new();
    internal TimeProvider Time { get; }
    internal BufferSet Buffers { get; }
    internal StatusState Status { get; } = new();
    internal ChangeSignal Changes { get; } = new();
    internal bool ShowMembers { get; private set; } = true;
    internal InputState Input { get; } = new();

    /// <summary>Set by Ctrl-L (or a resize): the next frame repaints every line.</summary>
    internal bool FullRedrawRequested { get; set; }

    /// <summary>Width of the message text column and height of the message view, as last laid out.</summary>
    internal (int TextWidth, int Height) Viewport { get; set; } = (60, 20);

    public string MyNick { get; private set; } = "";

    /// <summary>Completes when the user or the command layer asked the UI to close.</summary>
    public Task QuitRequested => _quit.Task;

    public string CurrentBufferId { get { lock (Gate) return Buffers.Current.Id; } }

    public IReadOnlyList<string> Commands { get { lock (Gate) return _commands; } }

    // ---- called by the network / command layer ----

    public void SetMyNick(string nick) => Mutate(() => MyNick = TextSanitizer.Clean(nick, keepNewlines: false));

    /// <summary>Slash commands offered by Tab completion, e.g. "/join", "/msg".</summary>
    public void SetCommands(IEnumerable<string> names) => Mutate(() => _commands = [.. names.OrderBy(n => n, StringComparer.Ordinal)]);

    public void OpenBuffer(string bufferId, bool switchTo = false) => Switch(() =>
    {
        var buffer = Buffers.GetOrAdd(bufferId);
        if (switchTo) Buffers.SwitchTo(buffer);
    });

    public void CloseBuffer(string bufferId) => Switch(() => Buffers.Remove(bufferId));

    /// <summary>Empties a buffer's scrollback on screen (its stored history stays) and goes back to the bottom.</summary>
    public void ClearBuffer(string bufferId) => Mutate(() =>
    {
        if (Buffers.Find(bufferId) is not { } buffer) return;
        buffer.Log.Clear();
        ScrollMath.Pin(buffer, 0);
        buffer.ClearActivity();
    });

    /// <summary>True when a buffer with this id is open.</summary>
    public bool HasBuffer(string bufferId) { lock (Gate) return Buffers.Find(bufferId) is not null; }

    public void SetTitle(string bufferId, string title) => Mutate(() => Buffers.GetOrAdd(bufferId).Title = TextSanitizer.Clean(title, keepNewlines: false));

    /// <summary>Adds a message to a buffer (created if new), counting unread/highlights and ringing on a mention.</summary>
    public void AddMessage(string bufferId, string sender, string text, MessageKind kind = MessageKind.Normal, DateTimeOffset? time = null, bool encrypted = false) => Mutate(() =>
    {
        var buffer = Buffers.GetOrAdd(bufferId);
        var message = MakeMessage(sender, text, kind, time ?? Time.GetUtcNow(), encrypted);
        Append(buffer, message);
        if (message.Highlight) _bells++;
        if (buffer == Buffers.Current || kind != MessageKind.Normal) return;
        buffer.Unread++;
        if (message.Highlight) buffer.Highlights++;
    });

    /// <summary>Puts stored history (oldest first, all older than what the buffer holds) above its messages; no counters, no bell.</summary>
    public void LoadHistory(string bufferId, IEnumerable<ChatMessage> older) => Mutate(() =>
    {
        var buffer = Buffers.GetOrAdd(bufferId);
        var entries = new List<LogEntry>();
        ChatMessage? previous = null;
        foreach (var m in older)
        {
            var clean = MakeMessage(m.Sender, m.Text, m.Kind, m.Time, m.Encrypted) with { Highlight = m.Highlight || IsMention(m.Kind, m.Sender, m.Text) };
            entries.Add(new LogEntry(clean, previous is not null && OtherDay(previous, clean)));
            previous = clean;
        }
        if (buffer.Log.Count > 0 && previous is not null) buffer.Log[0].DayBreak = OtherDay(previous, buffer.Log[0].Message);
        buffer.Log.Prepend(entries);
    });

    /// <summary>An informational line in a buffer (the current one when null).</summary>
    public void Notice(string text, string? bufferId = null) => AddLocal(text, MessageKind.Notice, bufferId);

    /// <summary>An error line in a buffer (the current one when null), e.g. a failed command.</summary>
    public void Error(string text, string? bufferId = null) => AddLocal(text, MessageKind.Error, bufferId);

    /// <summary>An alarm (e.g. a contact's identity key changed): an error line that counts as a highlight, and the bell.</summary>
    public void Alarm(string text, string? bufferId = null) => Mutate(() =>
    {
        var buffer = bufferId is null ? Buffers.Current : Buffers.GetOrAdd(bufferId);
        Append(buffer, MakeMessage("!!", TextSanitizer.Clean(text, keepNewlines: false), MessageKind.Error, Time.GetUtcNow(), false));
        if (buffer != Buffers.Current) buffer.Highlights++;
        _bells++;
    });

    /// <summary>Someone buzzed me: a notice saying who, a flash of the status bar and the bell.</summary>
    public void Buzz(string from, string? bufferId = null) => Mutate(() =>
    {
        var nick = TextSanitizer.Clean(from, keepNewlines: false);
        var buffer = bufferId is null ? Buffers.Current : Buffers.GetOrAdd(bufferId);
        Append(buffer, MakeMessage("-!-", $"{nick} buzzed you!", MessageKind.Notice, Time.GetUtcNow(), false));
        if (buffer != Buffers.Current) buffer.Highlights++;
        Status.FlashUntil = Time.GetUtcNow() + FlashDuration;
        Status.BuzzFrom = nick;
        _bells++;
    });

    public void SetConnection(ServerConnectionStatus connection, string? user = null, string? server = null, string detail = "") => Mutate(() =>
    {
        Status.Connection = connection;
        Status.ConnectionDetail = detail;
        if (user is not null) Status.User = TextSanitizer.Clean(user, keepNewlines: false);
        if (server is not null) Status.Server = TextSanitizer.Clean(server, keepNewlines: false);
    });

    /// <summary>How messages to <paramref name="nick"/> travel now; shown in the status bar of their private buffer.</summary>
    public void SetRoute(string nick, PeerRoute route) => Mutate(() => Buffers.GetOrAdd(BufferIds.ForPeer(nick)).Route = route);

    public void RequestQuit() => _quit.TrySetResult();

    public void RequestFullRedraw() => Mutate(() => FullRedrawRequested = true);

    /// <summary>The text in the input line (for tests and the command layer).</summary>
    public string InputText { get { lock (Gate) return Input.Line.Text; } }

    /// <summary>The input widget's current text and cursor (a char index), so a buffer switch can keep it as a draft.</summary>
    public void SyncInput(string text, int cursor) { lock (Gate) Input.Sync(text, cursor); }

    /// <summary>True once after Ctrl-L asked for a full repaint.</summary>
    internal bool TakeFullRedraw()
    {
        lock (Gate)
        {
            bool wanted = FullRedrawRequested;
            FullRedrawRequested = false;
            return wanted;
        }
    }

    internal int TakeBells()
    {
        lock (Gate)
        {
            int bells = _bells;
            _bells = 0;
            return bells;
        }
    }

    private void AddLocal(string text, MessageKind kind, string? bufferId) => Mutate(() =>
    {
        var buffer = bufferId is null ? Buffers.Current : Buffers.GetOrAdd(bufferId);
        Append(buffer, MakeMessage(kind == MessageKind.Error ? "!!" : "--", text, kind, Time.GetUtcNow(), false));
    });

    private ChatMessage MakeMessage(string sender, string text, MessageKind kind, DateTimeOffset time, bool encrypted)
    {
        var cleanText = TextSanitizer.Clean(text.Length > MaxTextLength ? text[..MaxTextLength] + "…" : text);
        var cleanSender = TextSanitizer.Clean(sender, keepNewlines: false);
        return new ChatMessage(time, cleanSender, cleanText, kind, IsMention(kind, cleanSender, cleanText), encrypted);
    }

    private bool IsMention(MessageKind kind, string sender, string text) =>
        kind == MessageKind.Normal && !string.Equals(sender, MyNick, StringComparison.OrdinalIgnoreCase) && MentionDetector.Mentions(text, MyNick);

    private void Append(ChatBuffer buffer, ChatMessage message)
    {
        var newest = buffer.Log.Newest;
        buffer.Log.Append(new LogEntry(message, newest is not null && OtherDay(newest.Message, message)));
    }

    private bool OtherDay(ChatMessage earlier, ChatMessage later) =>
        TimeZoneInfo.ConvertTime(earlier.Time, Time.LocalTimeZone).Date != TimeZoneInfo.ConvertTime(later.Time, Time.LocalTimeZone).Date;

    internal void MarkDirty() => Changes.Mark();

    private void Mutate(Action change)
    {
        lock (Gate) change();
        Changes.Mark();
    }
}
