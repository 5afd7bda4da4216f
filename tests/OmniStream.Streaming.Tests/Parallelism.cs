// This project's tests mostly wait (sessions that end, rebalances, commit intervals: 92 s of wall time for 19 s of CPU)
// and each works on topics and groups of its own: three fixtures run at once.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
