using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(OmniStream.Benchmarks.StageBenchmarks).Assembly).Run(args);
