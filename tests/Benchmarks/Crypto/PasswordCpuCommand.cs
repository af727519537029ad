// "password-cpu": process CPU time per sign-in password check, Argon2id against PBKDF2-600k, alternating rounds in one process.
using System.Diagnostics;
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Rendezvous.Accounts;

namespace P2PChat.Benchmarks.Crypto;

/// <summary>BenchmarkDotNet reports wall time; this reports the CPU a check costs (what an attacker or a busy server pays),
/// from Process.TotalProcessorTime around batches, alternating PBKDF2 and Argon2id so both see the same machine load.</summary>
public static class PasswordCpuCommand
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var salt = RandomNumberGenerator.GetBytes(16);
        var pbkdf2 = new PasswordHash(PasswordAlgorithm.Pbkdf2HmacSha256, 600_000, salt,
            Rfc2898DeriveBytes.Pbkdf2("correct horse"u8, salt, 600_000, HashAlgorithmName.SHA256, 32));
        var argon = new PasswordHasher().Hash("correct horse");
        PasswordHasher.Verify("correct horse", pbkdf2);
        PasswordHasher.Verify("correct horse", argon);
        double pbkdf2Cpu = 0, argonCpu = 0;
        const int perBatch = 4;
        for (var r = 0; r < rounds; r++)
        {
            pbkdf2Cpu += Measure(() => PasswordHasher.Verify("correct horse", pbkdf2), perBatch);
            argonCpu += Measure(() => PasswordHasher.Verify("correct horse", argon), perBatch * 4);
        }
        var pbkdf2Per = pbkdf2Cpu / (rounds * perBatch);
        var argonPer = argonCpu / (rounds * perBatch * 4);
        Console.WriteLine($"password-cpu PBKDF2-600k {pbkdf2Per:F1} ms CPU per check");
        Console.WriteLine($"password-cpu Argon2id m=19MiB t=2 p=1 {argonPer:F1} ms CPU per check");
        Console.WriteLine($"password-cpu ratio PBKDF2/Argon2id {pbkdf2Per / argonPer:F2}x");
        return 0;
    }

    private static double Measure(Func<bool> check, int count)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        for (var i = 0; i < count; i++)
            if (!check()) throw new InvalidOperationException("the password check failed");
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }
}
