// Entry point of the benchmark suites: "transport-*" commands run the transport driver, "password-cpu" the CPU-time
// comparison of password checks, anything else goes to BenchmarkDotNet.
using BenchmarkDotNet.Running;
using P2PChat.Benchmarks.Crypto;
using P2PChat.Benchmarks.Transport;

if (args.Length > 0 && args[0].StartsWith("transport-", StringComparison.Ordinal))
    return await TransportBenchCommand.RunAsync(args);
if (args.Length > 0 && args[0] == "password-cpu")
    return PasswordCpuCommand.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
