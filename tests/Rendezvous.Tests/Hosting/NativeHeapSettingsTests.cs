// The malloc arena cap the server applies at start: in force on Linux, left to the operator when the environment sets one.
using P2PChat.Rendezvous.Hosting;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Hosting;

public sealed class NativeHeapSettingsTests
{
    [Fact]
    public void The_cap_is_applied_on_Linux_when_the_environment_sets_none()
    {
        Require.That(OperatingSystem.IsLinux(), "glibc's mallopt exists only on Linux");
        Assert.True(NativeHeapSettings.LimitArenas(_ => null));
    }

    [Theory]
    [InlineData("MALLOC_ARENA_MAX")]
    [InlineData("GLIBC_TUNABLES")]
    public void An_operators_own_setting_wins(string variable)
    {
        Assert.False(NativeHeapSettings.LimitArenas(name => name == variable ? "4" : null));
    }
}
