// The bounded admission queue for password hashes: a few run, a few wait, the rest are told when to come back.
using P2PChat.Rendezvous.Sessions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class SignInAdmissionTests
{
    [Fact]
    public async Task Work_beyond_the_slots_and_the_queue_is_refused_with_a_delay_and_the_rest_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        var admission = new SignInAdmission(concurrency: 1, queueLimit: 1);
        var gate = new ManualResetEventSlim();
        var first = admission.RunAsync(() => { gate.Wait(ct); return 1; }, ct);
        var second = admission.RunAsync(() => 2, ct);         // waits for the slot
        var third = await admission.RunAsync(() => 3, ct);    // nowhere to wait: refused at once

        Assert.False(third.Ran);
        Assert.True(third.RetryAfter >= TimeSpan.FromMilliseconds(250));
        Assert.Equal(2, admission.Inside);
        gate.Set();
        Assert.Equal((true, 1), ((await first).Ran, (await first).Result));
        Assert.Equal((true, 2), ((await second).Ran, (await second).Result));
        Assert.Equal(0, admission.Inside);
        Assert.True((await admission.RunAsync(() => 4, ct)).Ran);
    }
}
