// Tests the p2pchat command line: options become settings, bad ones stop the program with exit code 2.
using P2PChat.Peer;
using P2PChat.Peer.Server;
using P2PChat.Peer.Hosting;
using P2PChat.Peer.Profile;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests;

public sealed class PeerCommandLineTests : IDisposable
{
    private readonly TempDirectory _profile = new();
    private PeerSettings? _ran;

    private async Task<int> Run(params string[] args)
    {
        var root = PeerCommandLine.Build((settings, _) => { _ran = settings; return Task.FromResult(0); });
        return await root.Parse([.. args, "--profile", _profile.Path]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Options_become_settings_with_a_normalised_fingerprint()
    {
        Assert.Equal(0, await Run("--headless", "--server", "127.0.0.1:7001", "--server-fingerprint", new string('a', 64)));
        Assert.NotNull(_ran);
        Assert.True(_ran.Headless);
        Assert.Equal(new ServerAddress("127.0.0.1", 7001), _ran.Server);
        Assert.Equal(string.Join(':', Enumerable.Repeat("AA", 32)), _ran.ServerFingerprint);
        Assert.Null(_ran.Login);
    }

    [Fact]
    public async Task TCP_link_paths_are_checked_by_default_and_tcp_links_false_turns_them_off()
    {
        Assert.Equal(0, await Run("--headless", "--server", "127.0.0.1:7001"));
        Assert.True(_ran!.TcpLinks);
        Assert.Equal(0, await Run("--headless", "--server", "127.0.0.1:7001", "--tcp-links", "false"));
        Assert.False(_ran!.TcpLinks);
        Assert.Equal(0, await Run("--headless", "--server", "127.0.0.1:7001", "--tcp-links"));
        Assert.True(_ran!.TcpLinks);
    }

    [Fact]
    public async Task An_empty_or_damaged_profile_stops_the_program_with_a_clear_error_and_no_crash()
    {
        File.WriteAllText(Path.Combine(_profile.Path, ProfileStore.FileName), "");
        var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        int code;
        try { code = await Run("--headless", "--server", "127.0.0.1:7001"); }
        finally { Console.SetError(previous); }
        Assert.Equal(2, code);
        Assert.Null(_ran);
        Assert.Contains("profile.json is damaged: it is empty", stderr.ToString());
    }

    [Fact]
    public async Task The_server_defaults_to_the_profiles()
    {
        new ProfileStore(_profile.Path).Save(new PeerProfile("chat.example:9000"));
        Assert.Equal(0, await Run("--headless"));
        Assert.Equal(new ServerAddress("chat.example", 9000), _ran!.Server);
    }

    [Fact]
    public async Task The_terminal_ui_may_start_without_a_server_and_asks_for_it()
    {
        Assert.Equal(0, await Run());
        Assert.False(_ran!.Headless);
        Assert.Null(_ran.Server);
    }

    [Theory]
    [InlineData("--headless")]
    [InlineData("--login", "carol")] // no server and no P2PCHAT_PASSWORD: nothing to ask, nothing to sign in with
    [InlineData("--server", "host:notaport")]
    [InlineData("--server", "h:1", "--server-fingerprint", "12:34")]
    [InlineData("--server", "h:1", "--register-if-missing")]
    [InlineData("--server", "h:1", "--port-mapping-protocol", "igd")]
    public async Task Bad_options_exit_with_2_and_run_nothing(params string[] args)
    {
        Assert.Equal(2, await Run(args));
        Assert.Null(_ran);
    }

    [Fact]
    public async Task Stun_is_repeatable_and_port_mapping_can_be_turned_off()
    {
        Assert.Equal(0, await Run("--headless", "--server", "127.0.0.1:7001", "--stun", "stun.example:3478", "--stun", "[::1]:3479", "--no-port-mapping"));
        Assert.Equal([new ServerAddress("stun.example", 3478), new ServerAddress("::1", 3479)], _ran!.Stun);
        Assert.False(_ran.PortMapping);
        Assert.Null(_ran.PortMappingLifetime);
    }

    [Theory]
    [InlineData("stun.example")]
    [InlineData("host:notaport")]
    public async Task A_stun_server_without_a_port_stops_the_program(string value) =>
        Assert.Equal(2, await Run("--headless", "--server", "127.0.0.1:7001", "--stun", value));

    public void Dispose() => _profile.Dispose();
}
