// The p2pchat command line: its options and how they become a running peer's settings.
using System.CommandLine;
using P2PChat.Core.Framing;
using P2PChat.Peer.Server;
using P2PChat.Peer.Hosting;
using P2PChat.Peer.Profile;

namespace P2PChat.Peer;

public static class PeerCommandLine
{
    public const string PasswordVariable = "P2PCHAT_PASSWORD";

    public static readonly Option<bool> Headless = new("--headless") { Description = "read slash commands on stdin, write JSON events on stdout" };
    public static readonly Option<string?> Server = new("--server") { Description = "the rendezvous server, HOST:PORT (default: the profile's)" };
    public static readonly Option<string?> ProfileFolder = new("--profile") { Description = "the profile folder (default: ~/.p2pchat)" };
    public static readonly Option<string?> Fingerprint = new("--server-fingerprint") { Description = "trust the server certificate with this SHA-256 fingerprint (replaces the pinned one)" };
    public static readonly Option<string?> Login = new("--login") { Description = $"sign in as USER at start; the password comes from the environment variable {PasswordVariable}" };
    public static readonly Option<bool> RegisterIfMissing = new("--register-if-missing") { Description = "with --login: create the account first if the server does not know it" };

    public static readonly Option<string[]> Stun = new("--stun") { Description = "a STUN server for /nat, HOST:PORT (repeatable; default: the server's host on its port and the next)" };

    public static readonly Option<bool> NoPortMapping = new("--no-port-mapping") { Description = "never ask the router for a port mapping (UPnP, PCP, NAT-PMP)" };

    /// <summary>Lab tests ask for seconds-long leases to see renewals happen; real use keeps the two-hour default.</summary>
    public static readonly Option<int?> PortMappingLifetime = new("--port-mapping-lifetime") { Description = "seconds asked for a router port mapping (renewed at half)", Hidden = true };

    /// <summary>Lab tests force one protocol to exercise each leaf against a real router.</summary>
    /// <summary>TCP paths are checked beside UDP by default (a network that lets no UDP out can still link directly);
    /// <c>--tcp-links false</c> checks UDP only.</summary>
    public static readonly Option<bool> TcpLinks = new("--tcp-links")
    {
        Description = "check TCP paths (a listener on the link port, simultaneous open) beside UDP; on by default, --tcp-links false: UDP only",
        DefaultValueFactory = _ => true,
    };
    public static readonly Option<bool> LoopbackLinksOnly = new("--loopback-links-only") { Description = "offer only 127.0.0.1 as a direct-link candidate (tests on one machine)", Hidden = true };
    public static readonly Option<bool> NoDirectPms = new("--no-direct-pms") { Description = "send every PM through the server, never over a link (benchmark baselines)", Hidden = true };
    public static readonly Option<string?> PortMappingProtocol = new("--port-mapping-protocol") { Description = "ask the router with this protocol only: upnp, pcp or nat-pmp", Hidden = true };

    public static readonly Option<string?> DownloadFolder = new("--download-folder") { Description = "where accepted files go unless /accept names a folder (default: PROFILE/downloads)" };

    public static readonly Option<long?> FileSendRate = new("--file-send-rate") { Description = "send files at most this many bytes per second, all transfers together (default: no cap)" };

    public static readonly Option<bool> TuiDemo = new("--tui-demo") { Description = "show the terminal UI with made-up data (no network)", Hidden = true };

    public static RootCommand Build(Func<PeerSettings, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("p2pchat: a peer of the P2PChat messenger") { Headless, Server, ProfileFolder, Fingerprint, Login, RegisterIfMissing, Stun, NoPortMapping, PortMappingLifetime, PortMappingProtocol, DownloadFolder, FileSendRate, LoopbackLinksOnly, TcpLinks, NoDirectPms, TuiDemo };
        root.SetAction(async (result, ct) =>
        {
            if (result.GetValue(TuiDemo))
            {
                await Tui.Demo.TuiDemo.RunAsync(ct);
                return 0;
            }
            if (TrySettings(result, out var settings, out var error)) return await run(settings, ct);
            Console.Error.WriteLine($"p2pchat: {error}");
            return 2;
        });
        return root;
    }

    private static bool TrySettings(ParseResult result, out PeerSettings settings, out string error)
    {
        settings = null!;
        var folder = result.GetValue(ProfileFolder)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".p2pchat");
        PeerProfile profile;
        try { profile = new ProfileStore(folder).Load(); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error = e.Message;   // a clear error and exit code 2, never a crash or a silent new profile
            return false;
        }
        var serverText = result.GetValue(Server) ?? profile.Server;
        var asksServer = serverText is null && !result.GetValue(Headless) && result.GetValue(Login) is null;
        ServerAddress? server = null;
        if (!asksServer && !ServerAddress.TryParse(serverText, out server, out var addressError))
        {
            error = $"{addressError} (give --server HOST:PORT)";
            return false;
        }
        string? fingerprint = null;
        if (result.GetValue(Fingerprint) is { } typed && (fingerprint = CertificateFingerprint.Normalize(typed)) is null)
        {
            error = $"--server-fingerprint '{typed}' is not a SHA-256 fingerprint (32 hex bytes)";
            return false;
        }
        var login = result.GetValue(Login);
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (login is not null && string.IsNullOrEmpty(password))
        {
            error = $"--login needs the password in the environment variable {PasswordVariable}";
            return false;
        }
        var registerIfMissing = result.GetValue(RegisterIfMissing);
        if (registerIfMissing && login is null)
        {
            error = "--register-if-missing needs --login USER";
            return false;
        }
        var stun = new List<ServerAddress>();
        foreach (var text in result.GetValue(Stun) ?? [])
        {
            if (!ServerAddress.TryParse(text, out var stunServer, out var stunError) || !text.Contains(':'))
            {
                error = $"--stun '{text}': {stunError ?? "give HOST:PORT"}";
                return false;
            }
            stun.Add(stunServer);
        }
        var protocol = result.GetValue(PortMappingProtocol);
        if (protocol is not null and not ("upnp" or "pcp" or "nat-pmp"))
        {
            error = $"--port-mapping-protocol '{protocol}': upnp, pcp or nat-pmp";
            return false;
        }
        settings = new PeerSettings(result.GetValue(Headless), server, folder, fingerprint, login, password, registerIfMissing, stun, !result.GetValue(NoPortMapping),
            result.GetValue(PortMappingLifetime) is int seconds and > 0 ? TimeSpan.FromSeconds(seconds) : null, protocol, result.GetValue(LoopbackLinksOnly),
            !result.GetValue(NoDirectPms))
        {
            DownloadFolder = result.GetValue(DownloadFolder) is { Length: > 0 } downloads ? Path.GetFullPath(downloads) : null,
            FileSendRate = result.GetValue(FileSendRate) is > 0 and var rate ? rate : null,
            TcpLinks = result.GetValue(TcpLinks),
        };
        error = "";
        return true;
    }
}
