// BenchmarkDotNet suite for the per-packet CPU path of the transport: protection, frame parsing, ACK encoding.
using P2PChat.Core.Bytes;
using BenchmarkDotNet.Attributes;
using P2PChat.Core.Crypto.Vault;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Benchmarks.Transport;

/// <summary>Costs per 1200-byte packet, to explain the loopback throughput figures in docs/benchmarks.md.</summary>
[MemoryDiagnoser]
public class PacketPathBenchmarks
{
    private const int Header = DataPacketLayout.HeaderLength;
    private readonly byte[] _packet = new byte[1200];
    private readonly byte[] _sealed = new byte[1200];
    private readonly byte[] _scratch = new byte[1200];
    private AesGcmPacketProtector _sender = null!;
    private UnkeyedPacketProtector _unkeyed = null!;
    private RangeSet _received = null!;
    private int _plaintextLength;

    [GlobalSetup]
    public void Setup()
    {
        var a = Enumerable.Repeat((byte)1, 32).ToArray();
        var b = Enumerable.Repeat((byte)2, 32).ToArray();
        _sender = new AesGcmPacketProtector(a, b);
        _unkeyed = new UnkeyedPacketProtector();
        _plaintextLength = _packet.Length - Header - _sender.Overhead;
        Random.Shared.NextBytes(_packet);
        var writer = new SpanWriter(_sealed.AsSpan(Header + _sender.PlaintextOffset, _plaintextLength));
        writer.WriteUInt64(1);
        var data = FrameWriter.WriteStreamHeader(ref writer, 4, 123_456_789, writer.Remaining - 16, fin: false);
        data.Fill(7);
        _received = new RangeSet();
        for (int i = 0; i < 32; i++) _received.Add(i * 10, i * 10 + 8);
    }

    [Benchmark(Description = "AES-GCM protect, 1200 B")]
    public int ProtectAesGcm() => _sender.Protect(_packet, Header, _plaintextLength);

    [Benchmark(Description = "checksum protect (unkeyed), 1200 B")]
    public int ProtectUnkeyed() => _unkeyed.Protect(_packet, Header, _packet.Length - Header - 8);

    [Benchmark(Description = "parse a full STREAM frame")]
    public long ParseStreamFrame()
    {
        var reader = new FrameReader(_sealed.AsSpan(Header + 8 + 8, _plaintextLength - 8));
        long total = 0;
        while (reader.TryRead(out var frame)) total += frame.Data.Length;
        return total;
    }

    [Benchmark(Description = "encode an ACK with 32 ranges")]
    public int EncodeAck()
    {
        var writer = new SpanWriter(_scratch);
        FrameWriter.TryWriteAck(ref writer, _received, 1000, 32, _scratch.Length);
        return writer.Position;
    }
}
