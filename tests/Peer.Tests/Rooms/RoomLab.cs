// Test support: peers with rooms over real secured loopback links (the LoopbackLinkHub double), each with its own event list.
using P2PChat.Core.Protocol;
using P2PChat.NetLab.Links;
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Rooms;

internal sealed class RoomLab : IAsyncDisposable
{
    private readonly LoopbackLinkHub _hub = new();
    private readonly List<LabMember> _members = [];
    private readonly List<LabMember> _everyone = [];
    /// <summary>P2PCHAT_TEST_LOGS=DIR: the members' room decisions (RoomContext.Log), timed, then their events, kept in DIR.</summary>
    private readonly List<string>? _log = Environment.GetEnvironmentVariable("P2PCHAT_TEST_LOGS") is { Length: > 0 } ? [] : null;

    public TimeProvider RoomTime { get; init; } = TimeProvider.System;

    /// <summary>The host timeout of every member (tests that jump a manual clock raise it so a jump is not a silence).</summary>
    public TimeSpan HostTimeout { get; init; } = Core.Rooms.HostWatch.DefaultTimeout;

    /// <summary>When set, each member saves its rooms in its own folder under this one (restarts then rejoin them).</summary>
    public string? SaveFolder { get; init; }

    public LabMember Add() => Start(_hub.AddPeer());

    private LabMember Start(LoopbackContactLinks links)
    {
        var events = new ListEventSink();
        var files = SaveFolder is null ? null : new FolderRoomFiles(Path.Combine(SaveFolder, Name(links.Tag)));
        var store = files is null ? null : new RoomStore(files);
        var name = Name(links.Tag);
        var traces = new RoomTraces();
        var ctx = new RoomContext(links.Tag, links.Identity, links, RoomTime, events, Name)
        {
            HostTimeout = HostTimeout,
            Store = store,
            Log = line =>
            {
                traces.Add(line);
                if (_log is not null) lock (_log) _log.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {name} {line}");
            },
        };
        var service = new RoomService(() => ctx);
        service.Attach(links);
        var member = new LabMember(Name(links.Tag), links, service, events) { Files = files, Traces = traces };
        _members.Add(member);
        _everyone.Add(member);
        return member;
    }

    /// <summary>Stops <paramref name="member"/>'s rooms (as a quitting process would); its links stay.</summary>
    public async Task StopAsync(LabMember member)
    {
        await member.Rooms.DisposeAsync();
        _members.Remove(member);
    }

    /// <summary>A new room service for a stopped member, with fresh events, that rejoins its saved rooms.</summary>
    public LabMember Resume(LabMember stopped)
    {
        var member = Start(stopped.Links);
        member.Rooms.Resume();
        return member;
    }

    public static string Name(Tag tag) => "u" + (tag.Value & 0xFFFF);

    /// <summary>A room of <paramref name="count"/>: the first creates and hosts, the others are invited and join.</summary>
    public async Task<(LabMember[] Members, RoomPeer HostRoom)> RoomOfAsync(int count, string name = "lounge")
    {
        var members = Enumerable.Range(0, count).Select(_ => Add()).ToArray();
        var room = members[0].Rooms.Create(name);
        await members[0].Events.WaitForAsync<RoomJoinedEvent>();
        foreach (var m in members.Skip(1))
        {
            await members[0].Rooms.InviteAsync(room, m.Tag, CancellationToken.None);
            await m.Events.WaitForAsync<RoomInviteEvent>(e => e.Room == room.Id.ToString());
            m.Rooms.Join(room.Id.ToString());
        }
        foreach (var m in members)
            await m.Events.WaitForAsync<RoomStateEvent>(e => e.Members.Count == count && e.Members.All(x => x.Online));
        return (members, room);
    }

    /// <summary>Returns once the latest room_host event of every member names the same host and epoch; waits on events, not time.</summary>
    public static async Task UntilAllAgreeOnHostAsync(IReadOnlyList<LabMember> members)
    {
        while (true)
        {
            var marks = members.Select(x => x.Events.Count).ToArray();
            var latest = members.Select(x => x.Events.Events.OfType<RoomHostEvent>().LastOrDefault()).ToList();
            if (latest.All(e => e is not null) && latest.Select(e => (e!.Host, e.Epoch)).Distinct().Count() == 1) return;
            using var stop = new CancellationTokenSource();
            var next = members.Select((x, i) => x.Events.WaitForFromAsync<RoomHostEvent>(marks[i], cancel: stop.Token)).ToList();
            var first = await Task.WhenAny(next);
            stop.Cancel();
            await first;   // a timeout here fails the test with the events seen
            foreach (var t in next) await t.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Checks a draw's proof as anyone can: the seed from the commitments and reveals (CommitRevealRound.Verify) must be
    /// the one the event names; returns it, so the caller recomputes the result from it.
    /// </summary>
    public static byte[] VerifiedSeed(IReadOnlyList<LabMember> members, RoomGameEvent proof)
    {
        var tags = members.ToDictionary(x => x.Name, x => x.Tag);
        var seed = Core.Rooms.CommitRevealRound.Verify(members[0].Room.Id, proof.Round,
            proof.Commitments.ToDictionary(kv => tags[kv.Key], kv => Convert.FromHexString(kv.Value)),
            proof.Reveals.ToDictionary(kv => tags[kv.Key], kv => Convert.FromHexString(kv.Value)));
        Assert.Equal(proof.Seed, Convert.ToHexString(seed).ToLowerInvariant());
        return seed;
    }

    /// <summary>Invites <paramref name="who"/> again (the host side refuses banned users).</summary>
    public Task RoomOfInviteAsync(LabMember inviter, RoomPeer room, LabMember who) => inviter.Rooms.InviteAsync(room, who.Tag, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (var m in _members) await m.Rooms.DisposeAsync();
        await _hub.DisposeAsync();
        if (_log is not null) WriteLog(Environment.GetEnvironmentVariable("P2PCHAT_TEST_LOGS")!);
    }

    private void WriteLog(string folder)
    {
        Directory.CreateDirectory(folder);
        var test = TestContext.Current.Test?.TestDisplayName ?? "room-lab";
        var file = Path.Combine(folder, $"{new string([.. test.Select(c => char.IsLetterOrDigit(c) ? c : '_').Take(80)])}-{DateTime.UtcNow:HHmmss.fff}-{Environment.ProcessId}.log");
        var lines = new List<string>();
        lock (_log!) lines.AddRange(_log);
        foreach (var m in _everyone) lines.AddRange(m.Events.Events.Select(e => $"{m.Name} event {e}"));
        File.WriteAllLines(file, lines);
    }
}

internal sealed record LabMember(string Name, LoopbackContactLinks Links, RoomService Rooms, ListEventSink Events)
{
    public Tag Tag => Links.Tag;

    /// <summary>Where this member's rooms are saved (with <see cref="RoomLab.SaveFolder"/>).</summary>
    public FolderRoomFiles? Files { get; init; }

    /// <summary>The next room record this member writes that <paramref name="match"/> accepts (subscribe before the change).</summary>
    public Task<RoomRecord> NextSavedAsync(Func<RoomRecord, bool> match)
    {
        var saved = new TaskCompletionSource<RoomRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        Files!.Written += plain =>
        {
            var record = RoomRecordCodec.Decode(plain);
            if (match(record)) saved.TrySetResult(record);
        };
        return saved.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
    /// <summary>This member's room decisions (RoomContext.Log), as they are made.</summary>
    public RoomTraces Traces { get; init; } = new();

    /// <summary>The next decision line of this member that contains <paramref name="text"/> (subscribe before the
    /// change): what a test waits on when the member's own reaction, not an event, is what must have happened.</summary>
    public Task NextTraceAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Traces.Line += line => { if (line.Contains(text, StringComparison.Ordinal)) seen.TrySetResult(); };
        return seen.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public RoomPeer Room => Rooms.Rooms.Single();

    /// <summary>The room texts this member displayed, in order.</summary>
    public IReadOnlyList<string> Texts => [.. Events.Events.OfType<MessageEvent>().Where(m => m.Route == "room").Select(m => m.Text)];
}

/// <summary>One member's room decision lines, raised as they are traced.</summary>
internal sealed class RoomTraces
{
    public event Action<string>? Line;

    public void Add(string line) => Line?.Invoke(line);
}
