// Terminal.Gui's ANSI input without polling: the input thread sleeps in poll(2) until the terminal has bytes.
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Terminal.Gui.Drivers;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// Wraps Terminal.Gui's <see cref="AnsiInput"/> (raw mode, reading and decoding stay its own) but replaces its read
/// loop, which checks the terminal every 20 ms, with one that blocks in <c>poll</c> on the terminal and a wake-up
/// pipe (written on cancellation and test injection). After each read it tells the <see cref="LoopPacer"/>, so a key
/// reaches the screen in one loop iteration instead of up to 20 + 40 ms of polling. A hung-up terminal (POLLHUP,
/// POLLERR, or end of input) ends the loop and calls <c>onHangup</c> instead of spinning on it.
/// </summary>
internal sealed class WakingInput : ITestableInput<char>
{
    private const short PollIn = 0x001, PollErr = 0x008, PollHup = 0x010, PollNval = 0x020;
    private const int Eintr = 4;

    private readonly AnsiInput _inner;
    private readonly int _fd;
    private readonly LoopPacer _pacer;
    private readonly Action _onHangup;
    private readonly int[] _pipe = [-1, -1];
    private ConcurrentQueue<char>? _queue;

    public WakingInput(AnsiInput inner, int fd, LoopPacer pacer, Action onHangup)
    {
        (_inner, _fd, _pacer, _onHangup) = (inner, fd, pacer, onHangup);
        if (pipe(_pipe) != 0) throw new IOException($"pipe() failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public CancellationTokenSource? ExternalCancellationTokenSource
    {
        get => _inner.ExternalCancellationTokenSource;
        set => _inner.ExternalCancellationTokenSource = value;
    }

    public void Initialize(ConcurrentQueue<char> inputQueue)
    {
        _queue = inputQueue;
        _inner.Initialize(inputQueue);
    }

    public void InjectInput(char input)
    {
        _inner.InjectInput(input);
        Poke();
    }

    public void Run(CancellationToken runCancellationToken)
    {
        var queue = _queue ?? throw new InvalidOperationException("Run before Initialize");
        using var linked = ExternalCancellationTokenSource is { } external
            ? CancellationTokenSource.CreateLinkedTokenSource(runCancellationToken, external.Token)
            : null;
        var ct = linked?.Token ?? runCancellationToken;
        using var wake = ct.Register(Poke);
        var fds = new PollFd[] { new() { Fd = _fd, Events = PollIn }, new() { Fd = _pipe[0], Events = PollIn } };
        while (!ct.IsCancellationRequested)
        {
            fds[0].Revents = fds[1].Revents = 0;
            if (poll(fds, 2, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == Eintr) continue;
                _onHangup();
                return;
            }
            if (fds[1].Revents != 0) DrainPipe();
            int read = Drain(queue);
            if (read > 0) _pacer.InputArrived();
            bool gone = (fds[0].Revents & (PollErr | PollHup | PollNval)) != 0;
            bool endOfInput = (fds[0].Revents & PollIn) != 0 && read == 0;
            if (gone && read == 0 || endOfInput)
            {
                _onHangup();
                return;
            }
        }
    }

    /// <summary>Moves everything the terminal (or a test) has into the queue; returns how many chars.</summary>
    private int Drain(ConcurrentQueue<char> queue)
    {
        int total = 0;
        while (_inner.Peek())
        {
            int before = total;
            foreach (char c in _inner.Read())
            {
                queue.Enqueue(c);
                total++;
            }
            if (total == before) break; // readable but nothing read: end of input
        }
        return total;
    }

    private void Poke()
    {
        if (_pipe[1] >= 0) _ = write(_pipe[1], [1], 1);
    }

    private void DrainPipe()
    {
        var buffer = new byte[64];
        var fds = new PollFd[] { new() { Fd = _pipe[0], Events = PollIn } };
        while (poll(fds, 1, 0) > 0 && read(_pipe[0], buffer, buffer.Length) > 0) fds[0].Revents = 0;
    }

    public void Dispose()
    {
        _inner.Dispose();
        foreach (int fd in _pipe)
            if (fd >= 0) _ = close(fd);
        _pipe[0] = _pipe[1] = -1;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int poll([In, Out] PollFd[] fds, uint count, int timeoutMs);

    [DllImport("libc", SetLastError = true)]
    private static extern int pipe(int[] fds);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
