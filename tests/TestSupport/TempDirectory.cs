// A fresh folder under the system temp folder for one test, deleted with everything in it on dispose.
namespace P2PChat.TestSupport;

public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "p2pchat-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a child process may still hold a file for a moment; the OS temp cleaner gets it */ }
        catch (UnauthorizedAccessException) { }
    }
}
