// Keeps a port mapping alive: renews it at renew-after, retries before good-until, and releases it on dispose.
namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// State machine, on an injected TimeProvider:
/// <code>
/// Held --(RenewAfter)--> renew --ok--> Held (new times)
///                              --fail--> retry every RetryInterval while now &lt; GoodUntil --> Lost (Current = null)
/// any --Dispose--> Released (ReleaseAsync, bounded by ReleaseTimeout; mappings never outlive the keeper)
/// </code>
/// <see cref="Changed"/> fires after each renewal or loss.
/// </summary>
public sealed class PortMappingKeeper : IAsyncDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(3);
    private readonly TimeProvider _time;
    private readonly NatLog? _log;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task _renewing = Task.CompletedTask;
    private bool _disposed;

    public PortMappingKeeper(IPortMapping mapping, TimeProvider? time = null, NatLog? log = null)
    {
        Current = mapping;
        _time = time ?? TimeProvider.System;
        _log = log;
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm(mapping.RenewAfter);
    }

    /// <summary>The live mapping, or null once it was lost or released.</summary>
    public IPortMapping? Current { get; private set; }

    public int Renewals { get; private set; }

    public event Action<PortMappingKeeper>? Changed;

    private void Arm(DateTimeOffset at)
    {
        var delay = at - _time.GetUtcNow();
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        if (delay > TimeSpan.FromDays(30)) delay = TimeSpan.FromDays(30);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed || Current is null) return;
            _renewing = RenewAsync(Current);
        }
    }

    private async Task RenewAsync(IPortMapping mapping)
    {
        try
        {
            await mapping.RenewAsync(_stop.Token).ConfigureAwait(false);
            Renewals++;
            _log.Write($"{mapping.Protocol}: renewed {mapping.External}, good until {mapping.GoodUntil:u}");
            Arm(mapping.RenewAfter);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
        catch (PortMappingException e)
        {
            var now = _time.GetUtcNow();
            if (now + RetryInterval < mapping.GoodUntil)
            {
                _log.Write($"{mapping.Protocol}: renewal of {mapping.External} failed ({e.Message}); retrying in {RetryInterval.TotalSeconds:0} s");
                Arm(now + RetryInterval);
                return;
            }
            _log.Write($"{mapping.Protocol}: lost {mapping.External}: {e.Message}");
            Current = null;
        }
        Changed?.Invoke(this);
    }

    /// <summary>Stops renewing and deletes the mapping at the router (waits at most <see cref="ReleaseTimeout"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        IPortMapping? mapping;
        Task renewing;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            mapping = Current;
            Current = null;
            renewing = _renewing;
        }
        _timer.Dispose();
        _stop.Cancel();
        try { await renewing.ConfigureAwait(false); } catch (Exception) { }
        if (mapping is not null)
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout, _time);
            await mapping.ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
