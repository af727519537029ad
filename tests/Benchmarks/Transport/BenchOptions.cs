// Command-line options of the transport benchmark driver ("--name value" pairs and flags).
using System.Net;

namespace P2PChat.Benchmarks.Transport;

internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values = [];
    private readonly HashSet<string> _flags = [];

    public BenchOptions(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null) _flags.Add(pending);
                pending = arg[2..];
            }
            else if (pending is not null)
            {
                _values[pending] = arg;
                pending = null;
            }
        }
        if (pending is not null) _flags.Add(pending);
    }

    public bool Flag(string name) => _flags.Contains(name);
    public string? Text(string name) => _values.GetValueOrDefault(name);
    public IPEndPoint EndPoint(string name) => IPEndPoint.Parse(_values[name]);
    public double Number(string name, double fallback) => _values.TryGetValue(name, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>Sizes like 256M, 64K, 1G or plain bytes.</summary>
    public long Bytes(string name, long fallback)
    {
        if (!_values.TryGetValue(name, out var v)) return fallback;
        long unit = char.ToUpperInvariant(v[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1 };
        return long.Parse(unit == 1 ? v : v[..^1]) * unit;
    }
}
