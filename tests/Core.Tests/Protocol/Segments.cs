// Builds multi-segment ReadOnlySequence<byte> values, as a pipe hands them to parsers.
using Xunit;
using System.Buffers;

namespace P2PChat.Core.Tests.Protocol;

internal static class Segments
{
    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        if (parts.Length == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var p in parts.Skip(1)) last = last.Append(p);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex) { Memory = memory; RunningIndex = runningIndex; }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
