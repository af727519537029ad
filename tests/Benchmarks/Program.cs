// Entry point of the benchmark suites: hands the command line to BenchmarkDotNet's switcher.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
