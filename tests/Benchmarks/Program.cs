// Entry point of the benchmark suites: "transport-*" commands run the transport driver, "password-cpu" the CPU-time
// comparison of password checks, "server-load" the server load generator, "files-bench" the file transfer run, "files-send"/"files-recv" a file between two processes, anything else goes to BenchmarkDotNet.
using BenchmarkDotNet.Running;
using P2PChat.Benchmarks.Crypto;
using P2PChat.Benchmarks.Server.Load;
using P2PChat.Benchmarks.Transport;

if (args.Length > 0 && args[0].StartsWith("transport-", StringComparison.Ordinal))
    return await TransportBenchCommand.RunAsync(args);
if (args.Length > 0 && args[0] == "password-cpu")
    return PasswordCpuCommand.Run(args);
if (args.Length > 0 && args[0] == "files-bench")
    return await P2PChat.Benchmarks.Files.FilesBenchCommand.RunAsync(args);
if (args.Length > 0 && args[0] is "files-send" or "files-recv")
    return await P2PChat.Benchmarks.Files.FilesLinkCommand.RunAsync(args);
if (args.Length > 0 && args[0] == "server-load")
    return await LoadCommand.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
