using System.Security.Cryptography;
using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>
/// A repository's server fills the disk: a pack past the free space is stopped, LFS objects that declare more than the
/// free space are not fetched, and one that sends more than it declares is not written past it. The small disk is the
/// injected <see cref="GitFetchLimits.FreeSpace"/>; the repositories are real (git, git-lfs), served over file://.
/// </summary>
internal sealed partial class GitFetcherTests
{
    private const int BigFileBytes = 1024 * 1024;

    [Test]
    public async Task FetchAsync_RepositorySendsMoreThanTheDiskHasFree_StoppedNamingTheUrlAndTheLimitCloneRemoved()
    {
        var big = await CreateRepositoryWithBigFileAsync();
        var url = "file://" + big;
        var target = Path.Combine(_root, "out");
        var progress = new FetchProgress(TimeProvider.System);
        var fetcher = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "repos")]), new GitFetchLimits { FreeSpace = _ => 64 * 1024 });

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => fetcher.FetchAsync(new GitSource(url, "main", null, null), target, progress, CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith($"git clone {url} failed: the node's disk is full for it: the repository sent "));
        Assert.That(ex.Message, Does.Contain("more than the 65536 bytes the node's disk had free when the clone began"));
        Assert.That(ex.Permanent, Is.False, "retried after backoff, as a full disk is (space may be freed)");
        Assert.That(Directory.Exists(target), Is.False, "the partial clone is removed");
        Assert.That(progress.BytesDone, Is.LessThan(2 * BigFileBytes), "stopped before the whole (incompressible, 2 MiB) pack arrived");

        var roomy = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "repos")]));
        await roomy.FetchAsync(new GitSource(url, "main", null, null), target, new FetchProgress(TimeProvider.System), CancellationToken.None);
        Assert.That(new FileInfo(Path.Combine(target, "big.bin")).Length, Is.EqualTo(BigFileBytes), "the same repository clones where the disk has room");
    }

    [Test]
    public async Task FetchAsync_UrlWithCredentials_LimitMessageNamesTheUrlWithoutThem()
    {
        var big = await CreateRepositoryWithBigFileAsync();
        var fetcher = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "repos")]), new GitFetchLimits { FreeSpace = _ => 64 * 1024 });
        var source = new GitSource("file://" + big, null, "gn-user-7c1", "hunter2-pass");

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => fetcher.FetchAsync(source, Path.Combine(_root, "out"), new FetchProgress(TimeProvider.System), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"git clone file://{big} failed: the node's disk is full for it"));
        Assert.That(ex.Message, Does.Not.Contain("hunter2-pass").And.Not.Contain("gn-user-7c1"));
    }

    [Test]
    public async Task FetchAsync_LfsObjectsDeclareMoreThanTheDiskHasFree_FailsBeforeFetchingAnyNamingTheRepository()
    {
        var lfs = await LfsTestRepository.CreateAsync(Path.Combine(_root, "repos", "lfs"));
        var target = Path.Combine(_root, "out");
        var fetcher = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "repos")]), new GitFetchLimits { FreeSpace = _ => 100 * 1024 });

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => fetcher.FetchAsync(new GitSource("file://" + lfs.Bare, "main", null, null), target, new FetchProgress(TimeProvider.System), CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo(
            $"the node's disk is full for it: the LFS objects of file://{lfs.Bare} take {(256 + 40) * 1024} bytes (2 objects in 2 files), more than the 102400 bytes the node's disk has free; none was downloaded"));
        Assert.That(LfsObjectFetcher.FindPointers(target), Has.Count.EqualTo(2), "both files are still their pointers");
        Assert.That(Directory.EnumerateFiles(target, "*.lfs-*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task FetchAsync_DiskFillsBetweenTheCheckAndADownload_ThatObjectIsNotFetched()
    {
        var lfs = await LfsTestRepository.CreateAsync(Path.Combine(_root, "repos", "lfs"));
        var calls = 0;
        var fetcher = new GitFetcher(
            new GitRemotePolicy([Path.Combine(_root, "repos")]),
            new GitFetchLimits { FreeSpace = _ => Interlocked.Increment(ref calls) <= 2 ? 1L << 30 : 1000 }); // the clone, the LFS total; then full

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => fetcher.FetchAsync(new GitSource("file://" + lfs.Bare, "main", null, null), Path.Combine(_root, "out"), new FetchProgress(TimeProvider.System), CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith("the node's disk is full for it: the LFS object for ").And.Contain($"of file://{lfs.Bare} is ").And.EndWith("more than the 1000 bytes the node's disk has free now"));
    }

    [Test]
    public async Task FetchAsync_LfsObjectSendsMoreThanItsPointerDeclares_StoppedWithoutWritingPastIt()
    {
        var lfs = await LfsTestRepository.CreateAsync(Path.Combine(_root, "repos", "lfs"));
        var stored = lfs.ObjectPath(lfs.WeightsOid);
        File.SetUnixFileMode(stored, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(stored, new byte[4 * 1024 * 1024]);
        var target = Path.Combine(_root, "out");
        var progress = new FetchProgress(TimeProvider.System);
        var fetcher = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "repos")]));

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => fetcher.FetchAsync(new GitSource("file://" + lfs.Bare, null, null, null), target, progress, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"weights.bin (oid {lfs.WeightsOid}) failed verification: what was downloaded is not the {256 * 1024}-byte object its pointer names"));
        Assert.That(LfsPointer.Read(Path.Combine(target, "weights.bin")), Is.Not.Null, "weights.bin is still its pointer");
        Assert.That(Directory.EnumerateFiles(target, "*.lfs-*", SearchOption.AllDirectories), Is.Empty);
        Assert.That(progress.BytesDone, Is.LessThan(1024 * 1024), "at most the declared size and one buffer were read, not the 4 MiB sent");
    }

    /// <summary>
    /// A repository under the local root whose one commit holds 1 MiB of random (incompressible) bytes in <c>big.bin</c>
    /// and 64 more files of 16 KiB (libgit2's local transport reports progress per object: one big object arrives whole).
    /// </summary>
    private async Task<string> CreateRepositoryWithBigFileAsync()
    {
        var work = Path.Combine(_root, "repos", "big");
        Directory.CreateDirectory(Path.Combine(work, "parts"));
        for (var i = 0; i < 64; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(work, "parts", $"{i:D2}.bin"), RandomNumberGenerator.GetBytes(16 * 1024));
        }

        await File.WriteAllBytesAsync(Path.Combine(work, "big.bin"), RandomNumberGenerator.GetBytes(BigFileBytes));
        foreach (var args in new[] { "init -q -b main", "add .", "-c user.name=t -c user.email=t@example.invalid commit -qm big" })
        {
            var (code, output) = await ShellTool.RunAsync(_git, ["-C", work, .. args.Split(' ')]);
            Assert.That(code, Is.Zero, output);
        }

        return work;
    }
}
