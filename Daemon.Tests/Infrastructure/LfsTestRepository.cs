using System.Security.Cryptography;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A bare repository <c>DIR/model.git</c> (branch main, tag v1) whose LFS objects the real <c>git lfs</c> wrote, as
/// <c>scripts/lib.sh make_lfs_repo</c> does: README.md plain, <c>weights.bin</c> and <c>sub/other.bin</c> LFS-tracked.
/// </summary>
internal sealed record LfsTestRepository(string Bare, string WeightsSha256, string OtherSha256, string WeightsOid)
{
    public static async Task<LfsTestRepository> CreateAsync(string dir)
    {
        var git = ShellTool.Require("git", "git");
        ShellTool.Require("git-lfs", "git-lfs");
        var work = Path.Combine(dir, "work");
        var bare = Path.Combine(dir, "model.git");
        Directory.CreateDirectory(Path.Combine(work, "sub"));
        await RunAsync(git, dir, "init", "-q", "--bare", "-b", "main", bare);
        await RunAsync(git, work, "init", "-q", "-b", "main");
        await RunAsync(git, work, "lfs", "install", "--local");
        await RunAsync(git, work, "lfs", "track", "*.bin");
        await File.WriteAllTextAsync(Path.Combine(work, "README.md"), "# test model\n");
        var weights = RandomNumberGenerator.GetBytes(256 * 1024);
        var other = RandomNumberGenerator.GetBytes(40 * 1024);
        await File.WriteAllBytesAsync(Path.Combine(work, "weights.bin"), weights);
        await File.WriteAllBytesAsync(Path.Combine(work, "sub", "other.bin"), other);
        await RunAsync(git, work, "add", ".gitattributes", "README.md", "weights.bin", "sub/other.bin");
        await RunAsync(git, work, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "model");
        await RunAsync(git, work, "tag", "v1");
        await RunAsync(git, work, "push", "-q", "file://" + bare, "main", "v1");
        var sha = Convert.ToHexStringLower(SHA256.HashData(weights));
        return new LfsTestRepository(bare, sha, Convert.ToHexStringLower(SHA256.HashData(other)), sha);
    }

    /// <summary>Where <c>git lfs</c> stored an object in the bare repository.</summary>
    public string ObjectPath(string oid) => Path.Combine(Bare, "lfs", "objects", oid[..2], oid[2..4], oid);

    private static async Task RunAsync(string git, string dir, params string[] args)
    {
        var (code, output) = await ShellTool.RunAsync(git, args, new Dictionary<string, string> { ["GIT_CONFIG_NOSYSTEM"] = "1" }, dir);
        Assert.That(code, Is.Zero, $"git {string.Join(' ', args)}: {output}");
    }
}
