// Over 300 lines: one fixture against the real dockerd, sharing its run label, test image and cleanup; each test is one engine operation.
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>Against the real dockerd at <see cref="TestEnvironment.DockerHost"/>; every container carries the run label.</summary>
[TestFixture]
[Category("Engine")]
internal sealed partial class DockerEngineTests
{
    private const string CaseLabel = "gradient.test-case";

    private readonly List<string> _created = [];
    private DockerEngine _engine = null!;
    private string _case = "";

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _case = Guid.NewGuid().ToString("N")[..12];
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_engine is null)
        {
            return; // SetUp found no engine: its reason is the test's result
        }

        using var cts = new CancellationTokenSource(TestTimeouts.Container);
        foreach (var id in _created)
        {
            await _engine.RemoveContainerAsync(id, force: true, cts.Token);
        }

        _created.Clear();
        _engine.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task GetInfoAsync_RealEngine_NegotiatesNoNewerThanTheEngine()
    {
        var version = await _engine.GetVersionAsync(Token());
        await _engine.GetInfoAsync(Token());

        var expected = Version.Parse(version.ApiVersion) < DockerClientProvider.MaxApiVersion ? version.ApiVersion : DockerClientProvider.MaxApiVersion.ToString();
        Assert.That(_engine.ApiVersion, Is.EqualTo(expected));
    }

    [Test]
    public async Task GetInfoAsync_RealEngine_ListsNvidiaRuntimeAndCgroupFacts()
    {
        var info = await _engine.GetInfoAsync(Token());

        Assert.Multiple(() =>
        {
            Assert.That(info.Runtimes, Does.Contain("runc").And.Contain("nvidia"));
            Assert.That(info.DefaultRuntime, Is.Not.Empty);
            Assert.That(info.CgroupDriver, Is.Not.Empty);
            Assert.That(info.CgroupVersion, Is.Not.Empty);
        });
    }

    [Test]
    public async Task InspectImageAsync_WebImage_ReportsPort8080()
    {
        var image = await _engine.InspectImageAsync(TestEnvironment.WebImage, Token());

        Assert.That(image!.ExposedPorts, Does.Contain(8080));
        Assert.That(await _engine.InspectImageAsync("gradient-test/absent:0", Token()), Is.Null);
    }

    [Test]
    public async Task ContainerLifecycle_CreateStartListStopRemove_Works()
    {
        var id = await CreateAsync();
        await _engine.StartContainerAsync(id, Token());
        await _engine.StartContainerAsync(id, Token()); // 304: already started

        var running = await _engine.InspectContainerAsync(id, Token());
        var listed = await _engine.ListContainersAsync([TestEnvironment.RunLabelFilter, $"{CaseLabel}={_case}"], Token());
        Assert.Multiple(() =>
        {
            Assert.That(running!.State.Running, Is.True);
            Assert.That(running.IpAddress, Is.Not.Null.And.Not.Empty);
            Assert.That(running.State.StartedAt, Is.Not.Null);
            Assert.That(running.State.FinishedAt, Is.Null);
            Assert.That(running.Labels[TestEnvironment.RunLabel], Is.EqualTo(TestEnvironment.RunId));
            Assert.That(listed.Select(c => c.Id), Is.EqualTo(new[] { id }));
            Assert.That(listed[0].State, Is.EqualTo("running"));
        });

        await _engine.StopContainerAsync(id, TimeSpan.FromSeconds(1), Token(TestTimeouts.Container));
        await _engine.StopContainerAsync(id, TimeSpan.FromSeconds(1), Token()); // 304: already stopped
        var stopped = await _engine.InspectContainerAsync(id, Token());
        Assert.That(stopped!.State.Running, Is.False);

        await _engine.RemoveContainerAsync(id, force: false, Token());
        Assert.That(await _engine.InspectContainerAsync(id, Token()), Is.Null);
        Assert.DoesNotThrowAsync(() => _engine.RemoveContainerAsync(id, force: true, Token()));
        Assert.DoesNotThrowAsync(() => _engine.StopContainerAsync(id, TimeSpan.Zero, Token()));
        Assert.ThrowsAsync<ContainerNotFoundException>(() => _engine.StartContainerAsync(id, Token()));
    }

    [Test]
    public async Task ListContainersAsync_OtherCaseLabel_IsNotListed()
    {
        var mine = await CreateAsync();
        var otherCase = Guid.NewGuid().ToString("N")[..12];
        await CreateAsync(labels: new Dictionary<string, string> { [CaseLabel] = otherCase });

        var listed = await _engine.ListContainersAsync([$"{CaseLabel}={_case}"], Token());

        Assert.That(listed.Select(c => c.Id), Is.EqualTo(new[] { mine }));
    }

    [Test]
    public async Task CreateContainerAsync_SameNameTwice_ThrowsConflict()
    {
        var name = NewName();
        await CreateAsync(name: name);

        Assert.ThrowsAsync<ContainerConflictException>(() => CreateAsync(name: name));
    }

    [Test]
    public void CreateContainerAsync_UnknownImage_ThrowsImageNotFound() =>
        Assert.ThrowsAsync<ImageNotFoundException>(() => CreateAsync(image: "gradient-test/absent:0"));

    [Test]
    public async Task GetLogsAsync_StdoutAndStderr_AreDemultiplexed()
    {
        var id = await RunToExitAsync("echo out; echo err >&2");

        var lines = await ReadLogsAsync(id, new LogOptions());

        Assert.That(lines, Is.EquivalentTo(new[] { new LogLine(LogStream.Stdout, "out", null), new LogLine(LogStream.Stderr, "err", null) }));
    }

    [Test]
    public async Task GetLogsAsync_TailWithTimestamps_ReturnsLastLinesWithTimes()
    {
        var id = await RunToExitAsync("for i in 1 2 3 4 5; do echo line$i; done");

        var lines = await ReadLogsAsync(id, new LogOptions(Tail: 2, Timestamps: true));

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Text), Is.EqualTo(new[] { "line4", "line5" }));
            Assert.That(lines.Select(l => l.Timestamp), Has.All.Not.Null);
        });
    }

    [Test]
    public async Task ExecAsync_RunningContainer_ReturnsExitCodeAndBothStreams()
    {
        var id = await CreateAsync(entrypoint: ["/bin/sh", "-c", "exec sleep 300"]);
        await _engine.StartContainerAsync(id, Token());

        var ok = await _engine.ExecAsync(id, ["/bin/sh", "-c", "echo out; echo err >&2"], TestTimeouts.Short, Token());
        var failed = await _engine.ExecAsync(id, ["/bin/sh", "-c", "exit 3"], TestTimeouts.Short, Token());

        Assert.Multiple(() =>
        {
            Assert.That(ok.ExitCode, Is.Zero);
            Assert.That(ok.Output, Does.Contain("out").And.Contain("err"));
            Assert.That(failed.ExitCode, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task ExecAsync_CommandOutlivesTimeout_ThrowsTimeout()
    {
        var id = await CreateAsync(entrypoint: ["/bin/sh", "-c", "exec sleep 300"]);
        await _engine.StartContainerAsync(id, Token());

        Assert.ThrowsAsync<TimeoutException>(() => _engine.ExecAsync(id, ["sleep", "5"], TimeSpan.FromMilliseconds(500), Token()));
    }

    [Test]
    public async Task GetLogsAsync_Follow_YieldsLineWrittenLater()
    {
        var id = await CreateAsync(entrypoint: ["/bin/sh", "-c", "echo first; sleep 1; echo second; exec sleep 300"]);
        await _engine.StartContainerAsync(id, Token());

        using var cts = new CancellationTokenSource(TestTimeouts.Container);
        var seen = new List<string>();
        await foreach (var line in _engine.GetLogsAsync(id, new LogOptions(Follow: true), cts.Token))
        {
            seen.Add(line.Text);
            if (line.Text == "second")
            {
                break;
            }
        }

        Assert.That(seen, Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task WatchEventsAsync_LabeledContainer_SeesStartAndDie()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Container);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await RunToExitAsync("exit 3");

        var actions = new List<string>();
        await foreach (var e in _engine.WatchEventsAsync([$"{CaseLabel}={_case}"], since, cts.Token))
        {
            Assert.That(e.ActorId, Is.EqualTo(id));
            actions.Add(e.Action);
            if (e.Action == "die")
            {
                Assert.That(e.Attributes["exitCode"], Is.EqualTo("3"));
                break;
            }
        }

        Assert.That(actions, Does.Contain("start").And.Contain("die"));
    }

    [Test]
    public async Task WatchEventsAsync_NoSince_StreamsLiveEvents()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Container);
        var id = await CreateAsync(entrypoint: ["/bin/sh", "-c", "exit 0"]);
        await using var events = _engine.WatchEventsAsync([$"{CaseLabel}={_case}"], cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync().AsTask();

        // The subscription is in flight; start (again) until its events arrive, without sleeping.
        while (!next.IsCompleted)
        {
            await _engine.StartContainerAsync(id, cts.Token);
            await TestTimeouts.CompletesWithinAsync(next, TestTimeouts.PollInterval);
        }

        Assert.That(await next, Is.True);
        Assert.That(events.Current.ActorId, Is.EqualTo(id));
    }

    [Test]
    public async Task GetStatsAsync_RunningContainer_ReportsMemory()
    {
        var id = await CreateAsync();
        await _engine.StartContainerAsync(id, Token());

        var stats = await _engine.GetStatsAsync(id, Token());

        Assert.Multiple(() =>
        {
            Assert.That(stats.MemoryUsageBytes, Is.GreaterThan(0));
            Assert.That(stats.MemoryLimitBytes, Is.GreaterThan(0));
            Assert.That(stats.OnlineCpus, Is.GreaterThan(0));
            Assert.That(stats.CpuPercent, Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public async Task GetStatsAsync_ContainerBurningACore_ReportsItsCpu()
    {
        var id = await CreateAsync(entrypoint: ["/bin/sh", "-c", "while :; do :; done"]);
        await _engine.StartContainerAsync(id, Token());

        // One core spinning is 100 % of a core; on a shared 2-core box it gets less, but never next to nothing.
        var stats = await _engine.GetStatsAsync(id, Token());

        TestContext.Out.WriteLine($"CPU {stats.CpuPercent:0.#} % of {stats.OnlineCpus} CPUs");
        Assert.That(stats.CpuPercent, Is.GreaterThan(15), $"CPU {stats.CpuPercent:0.#} % of {stats.OnlineCpus} CPUs");
    }

    [Test]
    public void PullImageAsync_UnreachableRegistry_ThrowsTypedOnItsOwn()
    {
        // A pull that kept retrying would end at Token()'s deadline with an OperationCanceledException, which the engine
        // does not wrap: catching an EngineException proves that the pull gave up by itself, without timing it.
        var ex = Assert.CatchAsync<EngineException>(() => _engine.PullImageAsync("127.0.0.1:1/nope:1", null, null, Token()));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.Not.InstanceOf<EngineUnavailableException>());
            Assert.That(ex!.Message, Does.Contain("127.0.0.1:1"));
        });
    }

    [Test]
    public async Task CreateContainerAsync_NvidiaRuntime_Runs()
    {
        var id = await RunToExitAsync("echo ok", runtime: "nvidia");

        var details = await _engine.InspectContainerAsync(id, Token());
        var lines = await ReadLogsAsync(id, new LogOptions());
        Assert.Multiple(() =>
        {
            Assert.That(details!.State.ExitCode, Is.Zero);
            Assert.That(lines.Select(l => l.Text), Is.EqualTo(new[] { "ok" }));
        });
    }

    [Test]
    public void StartContainerAsync_GpuRequestWithoutToolkit_SurfacesEngineError()
    {
        var ex = Assert.CatchAsync<EngineException>(async () =>
        {
            var id = await CreateAsync(gpus: new GpuRequest([], Count: -1));
            await _engine.StartContainerAsync(id, Token());
        });

        Assert.That(ex!.Message, Does.Contain("could not select device driver"));
    }

    private static CancellationToken Token(TimeSpan? timeout = null) =>
        new CancellationTokenSource(timeout ?? TestTimeouts.Short).Token;

    private static string NewName() => $"gn-test-{TestEnvironment.RunId}-{Guid.NewGuid():N}"[..40];

    private async Task<string> CreateAsync(
        string? name = null,
        string image = TestEnvironment.WebImage,
        IReadOnlyList<string>? entrypoint = null,
        Dictionary<string, string>? labels = null,
        string? runtime = null,
        GpuRequest? gpus = null,
        IReadOnlyList<BindMount>? binds = null,
        string? networkMode = null)
    {
        var allLabels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case };
        foreach (var (key, value) in labels ?? [])
        {
            allLabels[key] = value;
        }

        var id = await _engine.CreateContainerAsync(
            new ContainerCreateRequest
            {
                Name = name ?? NewName(),
                Image = image,
                Entrypoint = entrypoint,
                Labels = allLabels,
                ExposedPorts = [8080],
                Runtime = runtime,
                Gpus = gpus,
                Binds = binds ?? [],
                NetworkMode = networkMode,
            },
            Token());
        _created.Add(id);
        return id;
    }

    private async Task<string> RunToExitAsync(string script, string? runtime = null)
    {
        var id = await CreateAsync(entrypoint: ["/bin/sh", "-c", script], runtime: runtime);
        await _engine.StartContainerAsync(id, Token());
        await TestTimeouts.WaitUntilAsync(
            async () => (await _engine.InspectContainerAsync(id, Token()))?.State is { Running: false, FinishedAt: not null },
            TestTimeouts.Container,
            $"container running '{script}' to exit");
        return id;
    }

    private async Task<List<LogLine>> ReadLogsAsync(string id, LogOptions options)
    {
        var lines = new List<LogLine>();
        await foreach (var line in _engine.GetLogsAsync(id, options, Token()))
        {
            lines.Add(line);
        }

        return lines;
    }
}
