// Entry point of the benchmark suites: "transport-*" commands run the transport driver, anything else goes to BenchmarkDotNet.
using BenchmarkDotNet.Running;
using P2PChat.Benchmarks.Transport;

if (args.Length > 0 && args[0].StartsWith("transport-", StringComparison.Ordinal))
    return await TransportBenchCommand.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
