// The trimmer's native-heap figure (glibc mallinfo2) sees native allocations, so its log can split managed from native.
using System.Runtime.InteropServices;
using P2PChat.Rendezvous.Hosting;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Hosting;

public sealed class MemoryTrimmerTests
{
    [Fact]
    public void Native_heap_in_use_counts_a_native_allocation_until_it_is_freed()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("glibc's mallinfo2 is Linux only");
        const int Size = 64 << 20;
        var before = MemoryTrimmer.NativeHeapInUse();
        Assert.NotNull(before);
        var block = Marshal.AllocHGlobal(Size);   // malloc on Linux
        try
        {
            // Other tests allocate and free meanwhile: half the block is a safe margin either way.
            Assert.True(MemoryTrimmer.NativeHeapInUse() - before >= Size / 2);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
        Assert.True(MemoryTrimmer.NativeHeapInUse() - before < Size / 2);
    }
}
