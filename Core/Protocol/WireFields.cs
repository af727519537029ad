// The protocol's own wire fields on top of Core.Bytes' WireReader/WireWriter: tags and tag lists (u32 big-endian).
using System.Buffers;
using P2PChat.Core.Bytes;

namespace P2PChat.Core.Protocol;

/// <summary>
/// <c>WireReader.Tag(ref r)</c>, <c>WireReader.Tags(ref r)</c>, <c>w.Tag(t)</c> and <c>w.Tags(list)</c>: a tag is
/// <c>u32</c>; a tag list is <c>u32 n ‖ n × u32</c>, its count checked against the bytes there before allocating.
/// </summary>
public static class WireFields
{
    extension(WireReader)
    {
        public static Tag Tag(ref SequenceReader<byte> r) => new(WireReader.U32(ref r));

        public static Tag[] Tags(ref SequenceReader<byte> r)
        {
            var n = WireReader.U32(ref r);
            if (r.Remaining < n * 4L) throw WireReader.Truncated();
            var tags = new Tag[n];
            for (var i = 0; i < tags.Length; i++) tags[i] = WireReader.Tag(ref r);
            return tags;
        }
    }

    public static void Tag(this WireWriter w, Tag t) => w.U32(t.Value);

    public static void Tags(this WireWriter w, IReadOnlyList<Tag> tags)
    {
        w.U32((uint)tags.Count);
        foreach (var t in tags) w.U32(t.Value);
    }
}
