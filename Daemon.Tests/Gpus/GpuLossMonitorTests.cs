using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

/// <summary><see cref="GpuLossMonitor"/> on a fake clock, with the real <see cref="DockerEngine"/> against a scripted exec API.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class GpuLossMonitorTests
{
    private const string Container = "9b1c0d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344";
    private const string Healthy = "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-a)\n";
    private const string NvmlFailed = "Failed to initialize NVML: Unknown Error\n";

    private ScriptedExec _exec = null!;
    private FakeDockerEngine _fake = null!;
    private DockerEngine _engine = null!;
    private FakeTimeProvider _time = null!;
    private GpuLossMonitor _monitor = null!;
    private ConcurrentQueue<string> _lost = null!;

    [SetUp]
    public void SetUp()
    {
        _exec = new ScriptedExec();
        _fake = new FakeDockerEngine(_exec.HandleAsync);
        _engine = new DockerEngine(new DockerEngineOptions(_fake.Host));
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _monitor = new GpuLossMonitor(_engine, _time, NullLogger<GpuLossMonitor>.Instance);
        _lost = new ConcurrentQueue<string>();
        _monitor.Lost += _lost.Enqueue;
    }

    [TearDown]
    public void TearDown()
    {
        _monitor.Dispose();
        _engine.Dispose();
        _fake.Dispose();
    }

    [Test]
    public async Task Track_HealthyGpu_RunsNvidiaSmiOncePerPeriod()
    {
        _exec.Answers.Enqueue((0, Healthy));
        _exec.Answers.Enqueue((0, Healthy));

        _monitor.Track("llm", "llm-0", Container, ["GPU-a"]);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(_exec.Count, Is.Zero, "nothing before the first period");

        _time.Advance(TimeSpan.FromSeconds(1));
        await TestTimeouts.WaitUntilAsync(() => _exec.Count == 1, "the first check");
        _time.Advance(GpuLossMonitor.DefaultPeriod);
        await TestTimeouts.WaitUntilAsync(() => _exec.Count == 2, "the second check");

        Assert.Multiple(() =>
        {
            Assert.That(_exec.Commands, Has.All.EqualTo($"{Container}: [\"nvidia-smi\",\"-L\"]"));
            Assert.That(_monitor.IsChecking(Container), Is.True);
            Assert.That(_monitor.LostReason(Container), Is.Null);
            Assert.That(_monitor.Warnings, Is.Empty);
            Assert.That(_lost, Is.Empty);
        });
    }

    [Test]
    public async Task Track_NvmlFailsOnSecondCheck_ReportsLossRaisesLostAndStopsChecking()
    {
        _exec.Answers.Enqueue((0, Healthy));
        _exec.Answers.Enqueue((255, NvmlFailed));
        _monitor.Track("llm", "llm-0", Container, ["GPU-a"]);

        _time.Advance(GpuLossMonitor.DefaultPeriod);
        await TestTimeouts.WaitUntilAsync(() => _exec.Count == 1, "the first check");
        _time.Advance(GpuLossMonitor.DefaultPeriod);
        await TestTimeouts.WaitUntilAsync(() => !_monitor.IsChecking(Container), "the loss");
        _time.Advance(TimeSpan.FromMinutes(5));
        _monitor.Track("llm", "llm-0", Container, ["GPU-a"]);

        Assert.Multiple(() =>
        {
            Assert.That(_monitor.LostReason(Container), Is.EqualTo("GPU lost: Failed to initialize NVML: Unknown Error"));
            Assert.That(_lost, Is.EqualTo(new[] { "llm" }));
            Assert.That(_monitor.Warnings, Is.EqualTo(new[]
            {
                "llm-0: GPU lost: Failed to initialize NVML: Unknown Error (container 9b1c0d2e3f4a, GPU GPU-a, at 2026-01-01T00:01:00Z); the replica is restarted",
            }));
            Assert.That(_exec.Count, Is.EqualTo(2), "no check after the loss");
            Assert.That(_monitor.IsChecking(Container), Is.False);
        });
    }

    [Test]
    public async Task Track_NoNvidiaSmiInImage_SaysNothingAndStopsChecking()
    {
        _exec.Answers.Enqueue((126, "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nvidia-smi\": executable file not found in $PATH: unknown\r\n"));
        _monitor.Track("web", "web-0", Container, ["GPU-a"]);

        _time.Advance(GpuLossMonitor.DefaultPeriod);
        await TestTimeouts.WaitUntilAsync(() => !_monitor.IsChecking(Container), "the check to give up");
        _monitor.Track("web", "web-0", Container, ["GPU-a"]);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(_exec.Count, Is.EqualTo(1));
            Assert.That(_monitor.LostReason(Container), Is.Null);
            Assert.That(_monitor.Warnings, Is.Empty);
            Assert.That(_lost, Is.Empty);
        });
    }

    [Test]
    public async Task Track_UnrelatedFailure_KeepsChecking()
    {
        _exec.Answers.Enqueue((6, "No devices were found\n"));
        _exec.Answers.Enqueue((0, Healthy));
        _monitor.Track("llm", "llm-0", Container, ["GPU-a"]);

        _time.Advance(GpuLossMonitor.DefaultPeriod);
        await TestTimeouts.WaitUntilAsync(() => _exec.Count == 1, "the first check");
        _time.Advance(GpuLossMonitor.DefaultPeriod);
        await TestTimeouts.WaitUntilAsync(() => _exec.Count == 2, "the second check");

        Assert.That(_monitor.IsChecking(Container), Is.True);
        Assert.That(_lost, Is.Empty);
    }

    [Test]
    public void Track_NoGpus_ChecksNothing()
    {
        _monitor.Track("web", "web-0", Container, []);

        Assert.That(_monitor.IsChecking(Container), Is.False);
    }

    [Test]
    public void Forget_ContainerGone_StopsChecking()
    {
        _monitor.Track("llm", "llm-0", Container, ["GPU-a"]);
        _monitor.Track("other", "other-0", "other-container", ["GPU-b"]);

        _monitor.Forget("llm", new HashSet<string>());
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.That(_monitor.IsChecking(Container), Is.False);
        Assert.That(_monitor.IsChecking("other-container"), Is.True, "another deployment's container stays");
    }

    [Test]
    public async Task Warnings_OlderThanRetention_AreDropped()
    {
        _exec.Answers.Enqueue((255, NvmlFailed));
        _monitor.Track("llm", "llm-0", Container, ["GPU-a"]);
        _time.Advance(GpuLossMonitor.DefaultPeriod);
        await TestTimeouts.WaitUntilAsync(() => _monitor.Warnings.Count == 1, "the loss warning");

        _time.Advance(GpuLossMonitor.WarningRetention + TimeSpan.FromSeconds(1));

        Assert.That(_monitor.Warnings, Is.Empty);
    }

    [TestCase(null, 30)]
    [TestCase("2", 2)]
    [TestCase("0", 30)]
    [TestCase("-5", 30)]
    [TestCase("fast", 30)]
    public void PeriodFromEnvironment_Variable_ParsesWholePositiveSeconds(string? value, int expectedSeconds)
    {
        var period = GpuLossMonitor.PeriodFromEnvironment(name => name == "GN_GPU_CHECK_SECONDS" ? value : null);

        Assert.That(period, Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }

    /// <summary>The exec endpoints of the Engine API: each exec answers the next scripted (exit code, output), else a healthy list.</summary>
    private sealed class ScriptedExec
    {
        private readonly ConcurrentDictionary<string, (int ExitCode, string Output)> _execs = new(StringComparer.Ordinal);
        private int _count;

        public ConcurrentQueue<(int ExitCode, string Output)> Answers { get; } = new();

        public ConcurrentQueue<string> Commands { get; } = new();

        /// <summary>How many execs finished (their exit code was read).</summary>
        public int Count => Volatile.Read(ref _count);

        public async Task HandleAsync(FakeEngineContext context)
        {
            var path = context.Url.AbsolutePath;
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (context.Method == "POST" && parts is [_, "containers", var container, "exec"])
            {
                using var body = JsonDocument.Parse(context.BodyText);
                var cmd = body.RootElement.GetProperty("Cmd").GetRawText();
                Commands.Enqueue($"{container}: {cmd}");
                var id = Guid.NewGuid().ToString("N");
                _execs[id] = Answers.TryDequeue(out var answer) ? answer : (0, Healthy);
                await FakeDockerEngine.WriteAsync(context, 201, $$"""{"Id":"{{id}}"}""");
            }
            else if (context.Method == "POST" && parts is [_, "exec", var start, "start"])
            {
                var payload = Encoding.UTF8.GetBytes(_execs[start].Output);
                var frame = new byte[8 + payload.Length];
                frame[0] = 1;
                frame[4] = (byte)(payload.Length >> 24);
                frame[5] = (byte)(payload.Length >> 16);
                frame[6] = (byte)(payload.Length >> 8);
                frame[7] = (byte)payload.Length;
                payload.CopyTo(frame, 8);
                await context.RespondAsync(200, frame, "application/vnd.docker.raw-stream", rawStream: true);
            }
            else if (context.Method == "GET" && parts is [_, "exec", var inspect, "json"])
            {
                await FakeDockerEngine.WriteAsync(context, 200, $$"""{"Running":false,"ExitCode":{{_execs[inspect].ExitCode}}}""");
                Interlocked.Increment(ref _count);
            }
            else
            {
                await FakeDockerEngine.WriteAsync(context, 404, """{"message":"not scripted"}""");
            }
        }
    }
}
