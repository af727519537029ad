// Creates the Terminal.Gui application for a real terminal with an event-driven main loop (LoopPacer + WakingInput).
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Time;

namespace P2PChat.Peer.Tui.Terminal;

/// <summary>
/// Terminal.Gui 2.5 takes a custom driver component factory only through an internal constructor of its application
/// class, so this reaches it by reflection (pinned to the version in Directory.Packages.props; the tests check that
/// it is found). When anything is missing — another Terminal.Gui version, stdin not a terminal, not Unix, the tests'
/// headless driver — it returns null and the caller uses <see cref="Application.Create"/>, which polls as before.
/// </summary>
internal static class PacedApplication
{
    /// <summary>An application whose loop sleeps until <paramref name="pacer"/> wakes it, or null (see the class comment).</summary>
    public static IApplication? TryCreate(LoopPacer pacer, Action onHangup)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() || !TerminalGuard.RealTerminal || isatty(0) != 1) return null;
        if (Constructor() is not { } create) return null;
        var app = create(new Factory(pacer, onHangup));
        Install(app, pacer);
        return app;
    }

    /// <summary>The internal <c>ApplicationImpl(IComponentFactory, ITimeProvider)</c> as a delegate, or null when not found.</summary>
    /// <remarks>The type is named by a literal (assembly-qualified), and the members by name with constant binding flags,
    /// so the trimmer of the native AOT publish sees and keeps exactly these two (no suppression needed); the
    /// <see cref="DynamicDependencyAttribute"/> says the same to a reader and keeps them should the lookup ever stop
    /// being analysable. Under AOT the tests in tmux (tests/EndToEnd.Tests/Tui) run this path.</remarks>
    [DynamicDependency(DynamicallyAccessedMemberTypes.NonPublicConstructors, "Terminal.Gui.App.ApplicationImpl", "Terminal.Gui")]
    [DynamicDependency("MarkInstanceBasedModelUsed", "Terminal.Gui.App.ApplicationImpl", "Terminal.Gui")]
    internal static Func<IComponentFactory, IApplication>? Constructor()
    {
        var type = Type.GetType("Terminal.Gui.App.ApplicationImpl, Terminal.Gui");
        var ctor = type?.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, [typeof(IComponentFactory), typeof(ITimeProvider)]);
        var markModel = type?.GetMethod("MarkInstanceBasedModelUsed", BindingFlags.Static | BindingFlags.NonPublic, Type.EmptyTypes);
        if (ctor is null || markModel is null) return null;
        return factory =>
        {
            markModel.Invoke(null, null);
            return (IApplication)ctor.Invoke([factory, new SystemTimeProvider()]);
        };
    }

    /// <summary>Lifts the loop's fixed rate and blocks each iteration in the pacer; posted work wakes it.</summary>
    internal static void Install(IApplication app, LoopPacer pacer)
    {
        Application.MaximumIterationsPerSecond = ushort.MaxValue; // 1000 / 65535 = 0 ms: the loop never sleeps by itself
        int uiThread = Environment.CurrentManagedThreadId;
        // A timer re-armed by the loop itself is found by NextTimer; work posted from other threads (Invoke) wakes it.
        if (app.TimedEvents is { } timers)
            timers.Added += (_, _) => { if (Environment.CurrentManagedThreadId != uiThread) pacer.Wake(); };
        app.Iteration += (_, _) => pacer.WaitForWork(() => LoopPacer.NextTimer(app));
        if (pacer.Profile is { } profile) app.LayoutAndDrawComplete += (_, _) => profile.Drawn();
        if (!OperatingSystem.IsWindows()) Resizes = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => pacer.Wake());
    }

    /// <summary>Puts back the toolkit's default loop rate (the static setting outlives the application).</summary>
    public static void Uninstall()
    {
        Application.MaximumIterationsPerSecond = Application.DefaultMaximumIterationsPerSecond;
        Resizes?.Dispose();
        Resizes = null;
    }

    private static PosixSignalRegistration? Resizes { get; set; }

    /// <summary>Terminal.Gui's ANSI driver with <see cref="WakingInput"/> in place of its polling input.</summary>
    private sealed class Factory(LoopPacer pacer, Action onHangup) : AnsiComponentFactory
    {
        public override IInput<char> CreateInput() => new WakingInput(new AnsiInput(), 0, pacer, onHangup);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int isatty(int fd);
}
