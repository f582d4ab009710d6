using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

[TestFixture]
[Category("Unit")]
internal sealed partial class SpecDirectoryWatcherTests
{
    private const UnixFileMode SpecMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string _root = null!;
    private string _specs = null!;
    private string _state = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("gn-watcher-").FullName;
        _specs = Path.Combine(_root, "specs");
        _state = Path.Combine(_root, "state");
        Directory.CreateDirectory(_specs);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [TestCase("hello.yaml", true)]
    [TestCase("hello.yml", true)]
    [TestCase("HELLO.YAML", true)]
    [TestCase("/etc/gradient/specs/my app.yaml", true)]
    [TestCase("hello.json", false)]
    [TestCase("hello", false)]
    [TestCase(".hidden.yaml", false)]
    [TestCase("x.yaml~", false)]
    [TestCase("#x.yaml#", false)]
    [TestCase(".x.yaml.swp", false)]
    [TestCase(".hello.yaml.1234.abcdef.tmp", false)]
    [TestCase("/specs/", false)]
    public void IsSpecFile_Name_AcceptsOnlyYamlThatIsNotHiddenOrTemporary(string path, bool expected)
    {
        Assert.That(SpecDirectoryWatcher.IsSpecFile(path), Is.EqualTo(expected));
    }

    [Test]
    public async Task ScanAsync_NewFiles_AddsEntriesAndRaisesChangedWithTheirSlugs()
    {
        File.WriteAllText(Path.Combine(_specs, "hello.yaml"), Valid("Hello There"));
        File.WriteAllText(Path.Combine(_specs, "notes.txt"), "not a spec");
        File.WriteAllText(Path.Combine(_specs, ".hidden.yaml"), Valid("hidden"));
        var watcher = NewWatcher();
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;

        await watcher.ScanAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "hello-there" }));
            Assert.That(raised, Has.Count.EqualTo(1));
            Assert.That(raised[0], Is.EquivalentTo(new[] { "hello-there" }));
            Assert.That(watcher.FirstScan.IsCompletedSuccessfully, Is.True);
        });
    }

    [Test]
    public async Task ScanAsync_NothingChanged_DoesNotRaiseChanged()
    {
        File.WriteAllText(Path.Combine(_specs, "hello.yaml"), Valid("hello"));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;

        await watcher.ScanAsync(CancellationToken.None);

        Assert.That(raised, Is.Empty);
    }

    [Test]
    public async Task ScanAsync_MissingSpecsDir_IsEmptyAndCompletesFirstScan()
    {
        var watcher = new SpecDirectoryWatcher(Path.Combine(_root, "absent"), _state, new FakeTimeProvider(), NullLogger<SpecDirectoryWatcher>.Instance);

        await watcher.ScanAsync(CancellationToken.None);

        Assert.That(watcher.Entries, Is.Empty);
        Assert.That(watcher.FirstScan.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task WriteAsync_NewSpec_WritesTheFileWithMode0640AndNoTempLeft()
    {
        var watcher = NewWatcher();
        var target = watcher.TargetFileFor("hello");

        await watcher.WriteAsync(target, Valid("hello"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(target, Is.EqualTo(Path.Combine(_specs, "hello.yaml")));
            Assert.That(File.ReadAllText(target), Is.EqualTo(Valid("hello")));
            Assert.That(File.GetUnixFileMode(target), Is.EqualTo(SpecMode));
            Assert.That(Directory.GetFiles(_specs).Select(Path.GetFileName), Is.EqualTo(new[] { "hello.yaml" }));
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "hello" }));
        });
    }

    [Test]
    public async Task TargetFileFor_KnownSlug_IsTheFileThatDefinesIt()
    {
        var file = Path.Combine(_specs, "some-other-file.yml");
        File.WriteAllText(file, Valid("hello"));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);

        Assert.That(watcher.TargetFileFor("hello"), Is.EqualTo(file));
    }

    [Test]
    public async Task ScanAsync_ValidFile_SavesLastGoodCopyWithMode0600()
    {
        var watcher = NewWatcher();

        await watcher.WriteAsync(Path.Combine(_specs, "hello.yaml"), Valid("hello"), CancellationToken.None);

        var copy = Path.Combine(_state, "last-good", "hello.yaml");
        Assert.That(File.Exists(copy), Is.True, "last-good copy");
        Assert.That(File.ReadAllText(copy), Is.EqualTo(Valid("hello")));
        Assert.That(File.GetUnixFileMode(copy), Is.EqualTo(OwnerOnly));
    }

    [Test]
    public async Task ScanAsync_FileBrokenWhileDaemonWasDown_NewWatcherRunsTheLastGood()
    {
        var file = Path.Combine(_specs, "hello.yaml");
        await NewWatcher().WriteAsync(file, Valid("hello", image: "nginx:good"), CancellationToken.None);
        File.WriteAllText(file, "name: hello\nimage: [broken");
        var restarted = NewWatcher();

        await restarted.ScanAsync(CancellationToken.None);

        var entry = restarted.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Spec!.Image, Is.EqualTo("nginx:good"));
            Assert.That(entry.Errors, Is.Not.Empty);
            Assert.That(File.ReadAllText(Path.Combine(_state, "last-good", "hello.yaml")), Is.EqualTo(Valid("hello", image: "nginx:good")));
        });
    }

    [Test]
    public async Task DeleteAsync_KnownSlug_RemovesFileEntryAndLastGoodCopy()
    {
        var watcher = NewWatcher();
        var file = Path.Combine(_specs, "hello.yaml");
        await watcher.WriteAsync(file, Valid("hello"), CancellationToken.None);
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;

        var deleted = await watcher.DeleteAsync("hello", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.True);
            Assert.That(File.Exists(file), Is.False);
            Assert.That(watcher.Entries, Is.Empty);
            Assert.That(raised.SelectMany(s => s), Is.EquivalentTo(new[] { "hello" }));
            Assert.That(File.Exists(Path.Combine(_state, "last-good", "hello.yaml")), Is.False);
        });
    }

    [Test]
    public async Task DeleteAsync_UnknownSlug_ReturnsFalse()
    {
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);

        Assert.That(await watcher.DeleteAsync("nope", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task RunAsync_FileAppearsLater_EntryShowsUpWithoutAnExplicitScan()
    {
        var watcher = new SpecDirectoryWatcher(_specs, _state, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance);
        var changedSlugs = new System.Collections.Concurrent.ConcurrentQueue<string>();
        watcher.Changed += slugs => { foreach (var slug in slugs) { changedSlugs.Enqueue(slug); } };
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(cts.Token));
        try
        {
            await watcher.FirstScan.WaitAsync(TestTimeouts.Short);
            File.WriteAllText(Path.Combine(_specs, "late.yaml"), Valid("late"));

            // Changed is raised after Entries is published: wait for the event, the later of the two.
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(changedSlugs.Contains("late")), TestTimeouts.Short, "the watcher to raise Changed for late.yaml");

            Assert.That(watcher.Entries, Does.ContainKey("late"));
        }
        finally
        {
            await cts.CancelAsync();
            Assert.That(async () => await run.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());
        }
    }

    [Test]
    public async Task RunAsync_WatcherCannotStart_FirstScanLoadsSpecsAndRescanPicksUpLaterChanges()
    {
        File.WriteAllText(Path.Combine(_specs, "early.yaml"), Valid("early"));
        var watcher = new SpecDirectoryWatcher(_specs, _state, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance)
        {
            ResyncPeriod = TimeSpan.FromMilliseconds(100),

            // What the runtime throws when inotify_init fails with EMFILE (fs.inotify.max_user_instances reached).
            StartWatching = (_, _) => throw new IOException("The configured user limit (128) on the number of inotify instances has been reached, or the per-process limit on the number of open file descriptors has been reached."),
        };
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(cts.Token));
        try
        {
            await watcher.FirstScan.WaitAsync(TestTimeouts.Short);
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "early" }), "the first scan runs without a watcher");
            Assert.That(watcher.Warnings, Has.Count.EqualTo(1));
            Assert.That(watcher.Warnings[0], Does.Contain("inotify").And.Contain("rescan"));

            File.WriteAllText(Path.Combine(_specs, "late.yaml"), Valid("late"));

            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Entries.ContainsKey("late")), TestTimeouts.Short, "the rescan to pick up late.yaml");
        }
        finally
        {
            await cts.CancelAsync();
            Assert.That(async () => await run.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());
        }
    }

    [Test]
    public async Task RunAsync_ChangedHandlerThrows_WatchGoesOnAndLaterChangesArrive()
    {
        File.WriteAllText(Path.Combine(_specs, "early.yaml"), Valid("early"));
        var watcher = new SpecDirectoryWatcher(_specs, _state, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance)
        {
            ResyncPeriod = TimeSpan.FromMilliseconds(100),
        };
        var calls = 0;
        watcher.Changed += _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidCastException("a subscriber's bug");
            }
        };
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(cts.Token));
        try
        {
            await watcher.FirstScan.WaitAsync(TestTimeouts.Short);
            File.WriteAllText(Path.Combine(_specs, "late.yaml"), Valid("late"));

            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Entries.ContainsKey("late") && Volatile.Read(ref calls) >= 2), TestTimeouts.Short, "late.yaml to be published after the handler threw");
            Assert.That(run.IsCompleted, Is.False, "the watch loop is still running");
        }
        finally
        {
            await cts.CancelAsync();
            Assert.That(async () => await run.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());
        }
    }

    [Test]
    public async Task RunAsync_WatcherStarts_ReportsNoWarning()
    {
        var watcher = new SpecDirectoryWatcher(_specs, _state, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(cts.Token));
        await watcher.FirstScan.WaitAsync(TestTimeouts.Short);
        await cts.CancelAsync();
        Assert.That(async () => await run.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(watcher.Warnings, Is.Empty);
    }

    private SpecDirectoryWatcher NewWatcher() =>
        new(_specs, _state, new FakeTimeProvider(), NullLogger<SpecDirectoryWatcher>.Instance);

    private static string Valid(string name, string image = "nginx:1") => $"""
        name: {name}
        image: {image}
        resources:
          machineType: C4
          ports: [8080]

        """;
}
