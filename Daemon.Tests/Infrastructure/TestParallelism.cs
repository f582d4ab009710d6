using NUnit.Framework;

// The E2E fixtures spend most of their time waiting (a replica starting, a probe period, a window in which nothing may
// happen), one after another on 2 cores: about 20 of the suite's 25 minutes. A fixture marked
// [Parallelizable(ParallelScope.Self)] runs beside one other such fixture; its own tests still run one at a time. Every
// other fixture (unmarked, or [NonParallelizable]) runs alone, in NUnit's non-parallel shift, never beside a parallel one.
// A fixture may be marked only when it shares nothing process-wide or engine-wide with another fixture: its own node
// (own directories, free ports, node name, container labels), no environment variable, console or current directory of
// the test process changed, no measure of something engine-wide (dockerd's inotify instances, all containers). The rules
// are in CONTRIBUTING.md ("Tests that run in parallel"); TestHygieneTests checks the ones a source can show.
[assembly: LevelOfParallelism(2)]
