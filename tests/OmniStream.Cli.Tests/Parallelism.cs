// Most commands here run against an embedded cluster of their own and wait on it about half the time: two fixtures at once.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
