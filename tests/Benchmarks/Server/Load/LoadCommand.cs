// The server load generator: many TLS clients in one process driving our server or InspIRCd through the same phases.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using P2PChat.Benchmarks.Transport;

namespace P2PChat.Benchmarks.Server.Load;

/// <summary>
/// <code>
/// server-load --target ours|irc --label NAME --scenario pm|idle|signup|storm
///             ours: --server-exe PATH … -- SERVER ARGS (started, measured and restarted here)
///             irc:  --port N --server-pid PID (started by the script)
///             [--clients 2000] [--rate 25000] [--seconds 20] [--signups 2000] [--in-flight 1000] [--settle 40]
/// </code>
/// Prints one line per figure: <c>NAME figure value</c>. Every client is its own TLS connection on loopback. Before
/// each measured window it waits (at most 60 s) for the machine to use less than half a core, and prints how busy it was.
/// </summary>
internal static class LoadCommand
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    public static async Task<int> RunAsync(string[] args)
    {
        // Everything after a lone "--" is the server's own command line.
        var split = Array.IndexOf(args, "--");
        var serverArgs = split < 0 ? [] : args[(split + 1)..];
        var o = new BenchOptions(split < 0 ? args.Skip(1) : args[1..split]);
        var label = o.Text("label") ?? o.Text("target") ?? "ours";
        var ours = (o.Text("target") ?? "ours") == "ours";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(o.Number("timeout", 900)));
        var ct = stop.Token;
        ServerProcess? server = null;
        int pid, port;
        if (ours)
        {
            server = new ServerProcess(o.Text("server-exe")!, serverArgs);
            await server.StartAsync(ct);
            (pid, port) = (server.Pid, server.Port);
        }
        else (pid, port) = ((int)o.Number("server-pid", 0), (int)o.Number("port", 6697));
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        void Say(string figure, double value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} {figure} {value:0.###}"));
        try
        {
            switch (o.Text("scenario"))
            {
                case "pm": await PrivateMessagesAsync(o, ours, endpoint, pid, Say, ct); break;
                case "idle": await IdleAsync(o, ours, endpoint, pid, Say, ct); break;
                case "signup": await SignUpsAsync(o, ours, endpoint, Say, ct); break;
                case "storm" when server is not null: await StormAsync(o, server, label, Say, ct); break;
                default: Console.Error.WriteLine("usage: see LoadCommand.cs"); return 2;
            }
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
        }
        return 0;
    }

    private static LoadClient NewClient(bool ours, int i) => ours ? new OursClient(i) : new IrcClient(i);

    /// <summary>Every client connected so far (the heartbeat loop PINGs them all, even while others still connect).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<LoadClient, byte> Live = new();

    /// <summary>N clients connected and signed in (ours: registered first), at most 200 handshakes at a time.</summary>
    private static async Task<List<LoadClient>> SignedInAsync(bool ours, IPEndPoint server, int from, int count, CancellationToken ct)
    {
        var clients = new LoadClient[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 200, CancellationToken = ct }, async (i, c) =>
        {
            // Setting up is not what is measured: a connection the loaded machine lost on the way is simply tried again.
            LoadClient client;
            for (var attempt = 1; ; attempt++)
            {
                client = NewClient(ours, from + i);
                try
                {
                    await client.ConnectAsync(server, c);
                    if (!await client.RegisterAsync(c)) throw new InvalidOperationException($"{client.Name} could not register");
                    if (ours && !await client.SignInAsync(c)) throw new InvalidOperationException($"{client.Name} could not sign in");
                    break;
                }
                catch (Exception ex) when (attempt < 5 && !c.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"# setup of {client.Name} failed ({ex.Message}); again");
                    await client.DisposeAsync();
                }
            }
            clients[i] = client;
            Live[client] = 0;
        });
        return [.. clients];
    }

    /// <summary>PINGs every client every 8 s (the heartbeat a real client sends when idle).</summary>
    private static async Task HeartbeatsAsync(Func<IReadOnlyList<LoadClient>> clients, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(8000, ct);
                foreach (var c in clients().Concat(Live.Keys).Distinct())
                    if (!c.Closed.Task.IsCompleted) _ = c.PingAsync(ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Waits for a quiet machine, at most BENCH_QUIET_WAIT seconds (default 60); returns the busy cores seen last.</summary>
    private static async Task<double> QuietAsync(CancellationToken ct) => await ProcessProbe.WaitForQuietAsync(0.5,
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("BENCH_QUIET_WAIT"), CultureInfo.InvariantCulture, out var s) ? s : 60), ct);

    private static async Task PrivateMessagesAsync(BenchOptions o, bool ours, IPEndPoint server, int pid, Action<string, double> say, CancellationToken ct)
    {
        var n = (int)o.Number("clients", 2000);
        var rate = o.Number("rate", 25000);
        var seconds = o.Number("seconds", 20);
        // Heartbeats from the start (Live holds every client signed in so far): setting up 2,000 clients takes longer than
        // the heartbeat timeout on a loaded machine, and the first ones must not be closed for silence meanwhile.
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beating = HeartbeatsAsync(() => [], heartbeats.Token);
        var clients = await SignedInAsync(ours, server, 0, n, ct);
        var latency = new LatencyRecorder();
        foreach (var c in clients) c.OnMessage = (_, sentAt) => latency.Record(sentAt);

        // Warm-up: 2 s at the full rate, not measured.
        await SendAtRateAsync(clients, rate, TimeSpan.FromSeconds(2), ct);
        await Task.Delay(2000, ct);
        say("busy_cores_before", await QuietAsync(ct));
        latency = new LatencyRecorder();
        foreach (var c in clients) c.OnMessage = (_, sentAt) => latency.Record(sentAt);

        var cpu0 = ProcessProbe.CpuTime(pid);
        using var probe = WindowProbe.Start(pid);
        var counts = CountsProbe.Start(pid, ours);
        var receivedAtCounts = latency.Received;
        var window = latency;
        var sending = SendAtRateAsync(clients, rate, TimeSpan.FromSeconds(seconds), ct);
        if (counts is not null) await counts.ReportAsync(() => window.Received, receivedAtCounts, say, ct);
        var sent = await sending;
        if (probe is not null) await probe.WaitForExitAsync(ct);
        // Drain: wait until everything arrived or 10 s passed.
        var drainUntil = DateTime.UtcNow.AddSeconds(10);
        while (latency.Received < sent && DateTime.UtcNow < drainUntil) await Task.Delay(50, ct);
        var cpu = ProcessProbe.CpuTime(pid) - cpu0;
        heartbeats.Cancel();
        await beating;
        say("sent", sent);
        say("rate_per_s", sent / seconds);
        say("lost", sent - latency.Received);
        say("p50_ms", latency.Percentile(50));
        say("p99_ms", latency.Percentile(99));
        say("cpu_us_per_msg", cpu.TotalMicroseconds / Math.Max(1, latency.Received));
        foreach (var group in clients.Where(c => c.Closed.Task.IsCompleted).GroupBy(c => c.ClosedWith))
            say($"closed_with_status_{group.Key?.ToString(CultureInfo.InvariantCulture) ?? "none"}", group.Count());
        foreach (var c in clients) await c.DisposeAsync();
    }

    /// <summary>Sends PMs from random clients to random others at <paramref name="rate"/> per second for <paramref name="length"/>
    /// (in 10 ms ticks); returns how many were sent.</summary>
    private static async Task<long> SendAtRateAsync(IReadOnlyList<LoadClient> clients, double rate, TimeSpan length, CancellationToken ct)
    {
        var random = new Random(12);
        long sent = 0;
        var started = Stopwatch.GetTimestamp();
        var pending = new List<Task>();
        while (Stopwatch.GetElapsedTime(started) < length)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                var from = clients[random.Next(clients.Count)];
                var to = clients[random.Next(clients.Count)];
                if (to == from) to = clients[(from.Index + 1) % clients.Count];
                if (from.Closed.Task.IsCompleted) continue;   // dropped by the server: counted in the report, not fatal
                pending.Add(from.SendPmAsync(to, Stopwatch.GetTimestamp(), ct).ContinueWith(t => _ = t.Exception, TaskScheduler.Default));
            }
            await Task.WhenAll(pending);
            pending.Clear();
            await Task.Delay(5, ct);
        }
        return sent;
    }

    private static async Task IdleAsync(BenchOptions o, bool ours, IPEndPoint server, int pid, Action<string, double> say, CancellationToken ct)
    {
        var n = (int)o.Number("clients", 10000);
        const int Base = 200;
        var settle = TimeSpan.FromSeconds(o.Number("settle", 40));
        var clients = new List<LoadClient>();
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beating = HeartbeatsAsync(() => [.. clients], heartbeats.Token);
        clients.AddRange(await SignedInAsync(ours, server, 0, Base, ct));
        await Task.Delay(settle, ct);
        var before = ProcessProbe.ResidentKiB(pid);
        clients.AddRange(await SignedInAsync(ours, server, Base, n - Base, ct));
        await Task.Delay(settle, ct);
        var after = ProcessProbe.ResidentKiB(pid);
        var closed = clients.Count(c => c.Closed.Task.IsCompleted);
        foreach (var group in clients.Where(c => c.Closed.Task.IsCompleted).GroupBy(c => c.ClosedWith))
            say($"closed_with_status_{group.Key?.ToString(CultureInfo.InvariantCulture) ?? "none"}", group.Count());
        heartbeats.Cancel();
        await beating;
        say("connections", n - closed);
        say("rss_mib", after / 1024.0);
        say("kb_per_conn", (after - before) / (double)(n - Base));
        foreach (var c in clients) await c.DisposeAsync();
    }

    private static async Task SignUpsAsync(BenchOptions o, bool ours, IPEndPoint server, Action<string, double> say, CancellationToken ct)
    {
        var n = (int)o.Number("signups", 2000);
        var inFlight = (int)o.Number("in-flight", 1000);
        var first = (int)o.Number("first-index", 500_000);
        say("busy_cores_before", await QuietAsync(ct));
        var times = new double[n];
        int ok = 0, closedWithoutStatus = 0, failed = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = ct }, async (i, c) =>
        {
            var t0 = Stopwatch.GetTimestamp();
            var client = NewClient(ours, first + i);
            try
            {
                await client.ConnectAsync(server, c);
                if (await client.RegisterAsync(c)) Interlocked.Increment(ref ok);
                else if (client.Closed.Task.IsCompleted && client.ClosedWith is null) Interlocked.Increment(ref closedWithoutStatus);
                else Interlocked.Increment(ref failed);
            }
            catch (Exception ex)
            {
                if (Environment.GetEnvironmentVariable("LOAD_DEBUG") == "1") Console.Error.WriteLine($"{client.Name}: STATUS {client.ClosedWith}: {ex.Message}");
                Interlocked.Increment(ref client.ClosedWith is null ? ref closedWithoutStatus : ref failed);
            }
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            await client.DisposeAsync();
        });
        var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Array.Sort(times);
        say("signups", ok);
        say("signups_per_s", ok / total);
        say("signup_p99_ms", times[Math.Max(0, (int)Math.Ceiling(0.99 * n) - 1)]);
        say("closed_without_status", closedWithoutStatus);
        say("signup_refused", failed);
    }

    /// <summary>
    /// Asks <paramref name="client"/> for a resumption ticket; a connection the loaded machine lost on the way is signed
    /// in again with the password and asked again (setting up is not what the storm measures), at most five times.
    /// </summary>
    private static async Task<OursClient> TicketedAsync(OursClient client, IPEndPoint server, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.AskTicketAsync(ct);
                return client;
            }
            catch (Exception ex) when (attempt < 5 && !ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"# ticket for {client.Name} failed ({ex.Message}); signing in again");
                await client.DisposeAsync();
                client = new OursClient(client.Index);
                try
                {
                    await client.ConnectAsync(server, ct);
                    if (!await client.SignInAsync(ct)) throw new InvalidOperationException($"{client.Name} could not sign in");
                    Live[client] = 0;
                }
                catch (Exception again) when (!ct.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"# sign-in of {client.Name} failed ({again.Message}); again");
                }
            }
        }
    }

    /// <summary>
    /// N users signed in, each with a resumption ticket; the server is restarted (SIGTERM, start on the same data); every
    /// client reconnects with the peer's backoff (1 s, 2 s, 4 s … capped at 30 s, ±20 % jitter) and RESUME, then sends one
    /// PM to the next user (stored if that user is not back yet). Figures: seconds from the restart until all are signed
    /// in again, sessions closed for silence (STATUS 33), and acknowledged PMs that never arrived.
    /// </summary>
    private static async Task StormAsync(BenchOptions o, ServerProcess server, string label, Action<string, double> say, CancellationToken ct)
    {
        var n = (int)o.Number("clients", 10000);
        var endpoint = new IPEndPoint(IPAddress.Loopback, server.Port);
        // Setting up 10,000 clients takes minutes on this machine: those already signed in keep their heartbeat meanwhile.
        List<OursClient> clients = [];
        using (var setupBeats = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var setupBeating = HeartbeatsAsync(() => [], setupBeats.Token);
            clients = (await SignedInAsync(true, endpoint, 0, n, ct)).Cast<OursClient>().ToList();
            await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 200, CancellationToken = ct },
                async (i, t) => clients[i] = await TicketedAsync(clients[i], endpoint, t));
            setupBeats.Cancel();
            await setupBeating;
        }
        foreach (var c in clients) await c.DisposeAsync();
        Live.Clear();
        await server.StopAsync();
        say("busy_cores_before", await QuietAsync(ct));
        await server.StartAsync(ct);
        endpoint = new IPEndPoint(IPAddress.Loopback, server.Port);

        var started = Stopwatch.GetTimestamp();
        var received = new System.Collections.Concurrent.ConcurrentDictionary<int, byte>();
        var back = new OursClient[n];
        int silence = 0, attempts = 0, signedIn = 0;
        var random = new Random(7);
        var breakdown = new StormBreakdown();
        var netstat0 = StormBreakdown.ListenDrops();
        var cpuServer0 = ProcessProbe.CpuTime(server.Pid);
        var cpuSelf0 = Process.GetCurrentProcess().TotalProcessorTime;
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beating = HeartbeatsAsync(() => [.. back.Where(b => b is not null)], heartbeats.Token);
        var sampling = breakdown.SampleThreadPoolAsync(heartbeats.Token);
        await Task.WhenAll(clients.Select(async old =>
        {
            for (var attempt = 1; ; attempt++)
            {
                double jitter;
                lock (random) jitter = 1 + 0.2 * (2 * random.NextDouble() - 1);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt - 1), 30_000) * jitter), ct);
                Interlocked.Increment(ref attempts);
                var c = new OursClient(old.Index) { Ticket = old.Ticket };
                c.OnMessage = (from, _) => received.TryAdd(from, 0);
                var t0 = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    await c.ConnectAsync(endpoint, ct);
                    if (await c.ResumeAsync(ct))
                    {
                        back[old.Index] = c;
                        Interlocked.Increment(ref signedIn);
                        breakdown.SignedIn(Stopwatch.GetElapsedTime(started), Stopwatch.GetElapsedTime(t0), c, attempt);
                        // At once, to the next user, who may not be back yet (then it is stored and comes in their burst).
                        await c.SendPmAsync(clients[(old.Index + 1) % n], Stopwatch.GetTimestamp(), ct);
                        return;
                    }
                }
                catch (Exception ex) { error = ex.GetType().Name; }
                breakdown.Failed(c, error);
                if (c.ClosedWith == 33) Interlocked.Increment(ref silence);
                await c.DisposeAsync();
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuServer = ProcessProbe.CpuTime(server.Pid) - cpuServer0;
        var cpuSelf = Process.GetCurrentProcess().TotalProcessorTime - cpuSelf0;
        var netstat = StormBreakdown.ListenDrops();
        // Everyone is back: wait for every PM sent on the way back to be acknowledged and delivered (or 20 s).
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((received.Count < n || back.Sum(c => c.Acked) < n) && DateTime.UtcNow < until) await Task.Delay(100, ct);
        var acked = back.Sum(c => c.Acked);
        foreach (var c in back.Where(c => c.ClosedWith is not null)) breakdown.Failed(c, "after_signin");
        silence += back.Count(c => c.ClosedWith == 33);
        heartbeats.Cancel();
        await beating;
        await sampling;
        say("storm_s", seconds);
        say("storm_attempts", attempts);
        say("storm_closed_for_silence", silence);
        say("storm_acked", acked);
        say("storm_acked_lost", Math.Max(0, acked - received.Count));
        // Where the time went (client side): CPU of both processes over the storm, the kernel's listen-queue overflows,
        // per-phase times, failures by phase and closing STATUS, and sign-ins over time.
        say("storm_server_cpu_s", cpuServer.TotalSeconds);
        say("storm_loadgen_cpu_s", cpuSelf.TotalSeconds);
        say("storm_listen_overflows", netstat.Overflows - netstat0.Overflows);
        say("storm_listen_drops", netstat.Drops - netstat0.Drops);
        breakdown.Report(say, label);
        await server.StopAsync();
        foreach (var (name, value) in server.Counters) Console.WriteLine($"{label} server_{name} {value}");
        foreach (var c in back) await c.DisposeAsync();
    }
}
