// A real, small file system (tmpfs) mounted on a unique temp folder for one test, to fill up on purpose; unmounted on dispose.
using System.Diagnostics;

namespace P2PChat.TestSupport;

/// <summary>
/// Mounts a tmpfs of <c>sizeBytes</c> on a fresh folder (needs root: <see cref="Require.Root"/>, so it skips locally
/// and fails under CI=true without it). Writing past the size fails with ENOSPC, exactly as a full disk does.
/// <see cref="Dispose"/> unmounts (lazily, should a file still be open) and deletes the folder.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFileSystem Mount(long sizeBytes, string forWhat)
    {
        Require.Root($"mounting a small tmpfs for {forWhat}");
        Require.That(Require.HasProgram("mount") && Require.HasProgram("umount"), "mount and umount are needed");
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"p2pchat-smallfs-{System.Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes},mode=0700", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Require.That(false, $"mount -t tmpfs failed ({code}): {output}");
        }
        return new SmallFileSystem(path);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        Run("umount", Path);
        if (Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any()) Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
