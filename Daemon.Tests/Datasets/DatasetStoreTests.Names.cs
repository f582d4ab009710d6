using System.Diagnostics;
using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>
/// File names a job may leave in a dataset output that no download could carry: the commit fails naming the file, and the
/// staging folder still goes (abort, gc) though .NET cannot name a file that is not UTF-8, nor one deeper than PATH_MAX.
/// </summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task CommitAsync_FileNameWithANewline_RefusedNamingItAndNothingCommitted()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", null);
        Directory.CreateDirectory(Path.Combine(write.ContentPath, "sub"));
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "plain.txt"), "ok");
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "sub", "new\nline.txt"), "x");

        Assert.That(async () => await _store.CommitAsync(write, CancellationToken.None), Throws.TypeOf<DatasetException>()
            .With.Message.EqualTo("'sub/new?line.txt' has a control character in its name (shown as ?, e.g. a newline), which no download could carry: rename it; nothing was committed")
            .And.Property("Error").EqualTo(DatasetError.Invalid));
        Assert.That(_store.Versions("d"), Is.Empty);
    }

    [Test]
    public async Task CommitAsync_FileNameNotUtf8_RefusedSayingSoAndNothingCommitted()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "plain.txt"), "ok");

        // .NET cannot make such a name (it writes every string as UTF-8): a shell makes it, as a job's would.
        await ShAsync(write.ContentPath, "printf z > \"$(printf 'bin\\377')\"");
        try
        {
            Assert.That(async () => await _store.CommitAsync(write, CancellationToken.None), Throws.TypeOf<DatasetException>()
                .With.Message.StartsWith("'bin\uFFFD' has a name that is not UTF-8")
                .And.Message.EndsWith("rename it to UTF-8; nothing was committed"));
            Assert.That(_store.Versions("d"), Is.Empty);

            _store.Abort(write); // as the workflow runner does; Directory.Delete alone cannot name the file
            Assert.That(Directory.Exists(Path.GetDirectoryName(write.ContentPath)), Is.False, "the staging folder is gone");
        }
        finally
        {
            await ShAsync(_root, "rm -rf -- .staging");
        }
    }

    [Test]
    public async Task CleanStaging_LeftoverWithANameNotUtf8_Removed()
    {
        _store.Create("d", null);
        var staging = Path.Combine(_root, ".staging", "0123456789abcdef0123456789abcdef", "content");
        Directory.CreateDirectory(Path.Combine(staging, "sub"));
        await ShAsync(staging, "printf z > \"sub/$(printf 'bin\\377')\"; mkdir \"$(printf 'dir\\376')\"; ln -s /etc/passwd \"$(printf 'dir\\376')/link\"");
        try
        {
            // A staging folder an older daemon left (a job's output it could not remove): gc and start clean it.
            Assert.That(_store.CleanStaging(_ => false), Is.EqualTo(1));
            Assert.That(Directory.Exists(Path.Combine(_root, ".staging", "0123456789abcdef0123456789abcdef")), Is.False);
            Assert.That(File.Exists("/etc/passwd"), Is.True, "the link was removed, not followed");
        }
        finally
        {
            await ShAsync(_root, "rm -rf -- .staging");
        }
    }

    [TestCase("")]
    [TestCase("x/")]
    [TestCase("xy/")]
    public async Task CommitAsync_TreeDeeperThanPathMax_RefusedAsTooDeepAndAbortRemovesIt(string first)
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "plain.txt"), "ok");
        Directory.CreateDirectory(Path.Combine(write.ContentPath, first));

        // Which call meets PATH_MAX first depends on the length of the path above the tree: one, two, three bytes more.
        await ShAsync(Path.Combine(write.ContentPath, first), DeepTree);
        try
        {
            Assert.That(async () => await _store.CommitAsync(write, CancellationToken.None), Throws.TypeOf<DatasetException>()
                .With.Message.StartsWith($"'{first}d/d/d/d/")
                .And.Message.Contains("…' is too deep: its path in the store is 4096 bytes or longer, which the node's file system cannot open")
                .And.Message.EndsWith("nothing was committed")
                .And.Property("Error").EqualTo(DatasetError.Invalid));
            Assert.That(_store.Versions("d"), Is.Empty);

            _store.Abort(write); // as the workflow runner does: .NET's own delete names each file by its full path
            Assert.That(Directory.Exists(Path.GetDirectoryName(write.ContentPath)), Is.False, "the staging folder is gone");
        }
        finally
        {
            await ShAsync(_root, "rm -rf -- .staging");
        }
    }

    [Test]
    public async Task CleanStaging_LeftoverDeeperThanPathMaxWithLinks_RemovedWithoutFollowingThem()
    {
        _store.Create("d", null);
        var staging = Path.Combine(_root, ".staging", "0123456789abcdef0123456789abcdef", "content");
        Directory.CreateDirectory(staging);
        var outside = Path.Combine(_root, "outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "kept.txt"), "kept");
        await ShAsync(staging, $"mkdir wide && touch wide/a wide/b && mkdir wide/c; {DeepTree}; ln -s {outside} up; ln -s {outside}/kept.txt file; mkfifo pipe");
        try
        {
            // A staging folder a job left (an older daemon could not remove it): every gc pass failed on it.
            Assert.That(_store.CleanStaging(_ => false), Is.EqualTo(1));
            Assert.That(Directory.Exists(Path.Combine(_root, ".staging", "0123456789abcdef0123456789abcdef")), Is.False);
            Assert.That(File.ReadAllText(Path.Combine(outside, "kept.txt")), Is.EqualTo("kept"), "the links were removed, not followed");
        }
        finally
        {
            await ShAsync(_root, "rm -rf -- .staging");
        }
    }

    /// <summary>3,000 folders deep (6,000 bytes of path below the folder), each step's path short enough to make (bash: dash's cd refuses a working folder past PATH_MAX).</summary>
    private const string DeepTree = "p=$(printf 'd/%.0s' $(seq 1000)); for i in 1 2 3; do mkdir -p $p && cd $p || exit 1; done; ln -s / root; echo hi > f";

    private static async Task ShAsync(string folder, string script)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", script]) { WorkingDirectory = folder })!;
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, script);
    }
}
