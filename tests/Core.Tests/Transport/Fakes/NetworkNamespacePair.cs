// Two network namespaces joined by an impaired link (10.99.N.1 ↔ 10.99.N.2): veth + tc netem, or TUN + userspace netem.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using P2PChat.NetLab.Emulation;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

/// <summary>
/// Prefers a veth pair with <c>tc qdisc netem</c> on both ends. Kernels built without sch_netem (this project's CI VMs)
/// get the same impairment from <see cref="TunLinkEmulator"/> between two TUN devices instead; <see cref="Mode"/> says which.
/// Everything created is removed on dispose, also after a failed setup.
/// </summary>
internal sealed partial class NetworkNamespacePair : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly List<string> _created = [];
    private readonly List<IDisposable> _owned = [];

    private NetworkNamespacePair(int subnet)
    {
        string suffix = $"{Environment.ProcessId % 100000}-{subnet}";
        NameA = $"p2pt-a-{suffix}";
        NameB = $"p2pt-b-{suffix}";
        AddressA = IPAddress.Parse($"10.99.{subnet}.1");
        AddressB = IPAddress.Parse($"10.99.{subnet}.2");
    }

    public string NameA { get; }
    public string NameB { get; }
    public IPAddress AddressA { get; }
    public IPAddress AddressB { get; }
    public string Mode { get; private set; } = "";

    /// <summary>Skips the test (or fails it when CI=true) unless we are root with iproute2 available.</summary>
    public static void RequireRoot()
    {
        string? reason = null;
        if (!OperatingSystem.IsLinux()) reason = "network namespaces need Linux";
        else if (geteuid() != 0) reason = "network namespaces need root";
        else if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip")) reason = "iproute2 (ip, tc) is not installed";
        if (reason is null) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(reason + " (CI=true requires this test to run)");
        Assert.Skip(reason);
    }

    /// <summary>Creates both namespaces and the link, impaired the same way in both directions.</summary>
    public static NetworkNamespacePair Create(LinkImpairment impairment, int seed)
    {
        var pair = new NetworkNamespacePair(Random.Shared.Next(1, 250));
        try
        {
            pair.Setup(impairment, seed);
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    private void Setup(LinkImpairment impairment, int seed)
    {
        Ip($"netns add {NameA}");
        _created.Add(NameA);
        Ip($"netns add {NameB}");
        _created.Add(NameB);
        foreach (var ns in new[] { NameA, NameB }) Ip($"-n {ns} link set lo up");
        Ip($"link add veth-a netns {NameA} type veth peer name veth-b netns {NameB}");
        try
        {
            foreach (var (ns, dev) in new[] { (NameA, "veth-a"), (NameB, "veth-b") })
                Run("ip", $"netns exec {ns} tc qdisc add dev {dev} root netem {impairment.ToNetem()}");
            Address("veth-a", "veth-b");
            Mode = "veth+netem";
        }
        catch (InvalidOperationException e) when (e.Message.Contains("qdisc kind is unknown"))
        {
            Ip($"-n {NameA} link del veth-a");
            string tag = $"{Environment.ProcessId % 10000}{AddressA.GetAddressBytes()[2]}";
            var a = TunDevice.Create($"p2pa{tag}");
            _owned.Add(a);
            var b = TunDevice.Create($"p2pb{tag}");
            _owned.Add(b);
            Ip($"link set {a.Name} netns {NameA}");
            Ip($"link set {b.Name} netns {NameB}");
            Address(a.Name, b.Name);
            _owned.Insert(0, new TunLinkEmulator(a, b, impairment, seed));
            Mode = "tun+userspace-netem";
        }
    }

    private void Address(string deviceA, string deviceB)
    {
        foreach (var (ns, dev, address) in new[] { (NameA, deviceA, AddressA), (NameB, deviceB, AddressB) })
        {
            Ip($"-n {ns} addr add {address}/24 dev {dev}");
            Ip($"-n {ns} link set {dev} up");
        }
    }

    /// <summary>Creates and binds a UDP socket inside namespace A or B (the socket stays in it for life).</summary>
    public Socket BindUdp(bool inA, int port) => InNamespace(inA ? NameA : NameB, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(inA ? AddressA : AddressB, port));
        return socket;
    });

    /// <summary>Creates a TCP socket inside namespace A or B: listening on <paramref name="port"/>, or unbound (port 0) for connecting.</summary>
    public Socket CreateTcp(bool inA, int port) => InNamespace(inA ? NameA : NameB, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (port != 0)
        {
            socket.Bind(new IPEndPoint(inA ? AddressA : AddressB, port));
            socket.Listen(16);
        }
        return socket;
    });

    /// <summary>Runs <paramref name="create"/> on a fresh thread switched into the namespace with setns(2).</summary>
    private static T InNamespace<T>(string name, Func<T> create)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var original = File.OpenHandle("/proc/self/task/" + gettid() + "/ns/net");
                using var target = File.OpenHandle("/run/netns/" + name);
                if (setns((int)target.DangerousGetHandle(), CloneNewNet) != 0) throw new InvalidOperationException($"setns failed: {Marshal.GetLastPInvokeError()}");
                try { result = create(); }
                finally { setns((int)original.DangerousGetHandle(), CloneNewNet); }
            }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        thread.Join();
        if (error is not null) throw error;
        return result!;
    }

    private static void Ip(string arguments) => Run("ip", arguments);

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed: {stderr}");
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _owned.Clear();
        foreach (var name in _created)
        {
            try { Ip($"netns del {name}"); }
            catch (InvalidOperationException) { }
        }
        _created.Clear();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial int gettid();
}
