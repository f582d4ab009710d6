using System.Security.Cryptography;
using System.Text.Json;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The <c>datasets</c> verbs of the published binary against a real daemon and engine (issue 16 §1): create, upload a
/// folder, list versions, get, download and compare every byte, tag, and rm refused while a running container mounts
/// the version, naming its user.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class DatasetsTests
{
    private GradientNodeProcess _node = null!;
    private string _work = null!;

    [SetUp]
    public async Task SetUp()
    {
        _node = await GradientNodeProcess.StartAsync();
        _work = Directory.CreateTempSubdirectory("gn-datasets-e2e-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        if (_work is not null)
        {
            Directory.Delete(_work, recursive: true);
            _work = null!;
        }
    }

    [Test]
    public async Task Datasets_CreateUploadGetDownloadTag_SameBytesBackAndRefsResolve()
    {
        var source = Path.Combine(_work, "src");
        Directory.CreateDirectory(Path.Combine(source, "nested", "deeper"));
        Directory.CreateDirectory(Path.Combine(source, "empty"));
        await File.WriteAllBytesAsync(Path.Combine(source, "weights.bin"), RandomNumberGenerator.GetBytes(3 << 20));
        await File.WriteAllTextAsync(Path.Combine(source, "nested", "deeper", "labels.txt"), "cat\ndog\n");

        await Ok("datasets", "create", "images", "--description", "test photos");
        var upload = await Ok("datasets", "upload", "images", source, "--message", "first upload");
        Assert.That(upload.Stdout, Does.Match(@"images:[a-z][a-z0-9]{6} committed"));
        var id = upload.Stdout.Split(' ')[0];
        var version = id.Split(':')[1];

        var versions = await Ok("datasets", "versions", "images");
        Assert.That(versions.Stdout, Does.Match($"(?m)^{version} ").And.Contain("first upload").And.Contain("latest").And.Not.Contain(id), "the ID column holds the version id alone");

        using (var json = JsonDocument.Parse((await Ok("datasets", "get", id, "-o", "json")).Stdout))
        {
            var root = json.RootElement;
            Assert.That(root.GetProperty("id").GetString(), Is.EqualTo(id));
            Assert.That(root.GetProperty("files").GetInt64(), Is.EqualTo(2));
            Assert.That(root.GetProperty("bytes").GetInt64(), Is.EqualTo((3 << 20) + 8));
            Assert.That(root.GetProperty("isCommitted").GetBoolean(), Is.True);
        }

        var target = Path.Combine(_work, "out");
        await Ok("datasets", "download", "images", target);
        Assert.That(Hashes(target), Is.EqualTo(Hashes(source)));
        Assert.That(Directory.Exists(Path.Combine(target, "empty")), Is.True);

        await Ok("datasets", "tag", id, "golden");
        await Ok("datasets", "upload", "images", source);
        var golden = await Ok("datasets", "get", "images:golden", "-o", "yaml");
        Assert.That(golden.Stdout, Does.Contain($"version: {version}").And.Contain("- golden"));
        var list = await Ok("datasets", "ls");
        Assert.That(list.Stdout, Does.Match(@"images\s+2\s"));
        var missing = await _node.CliAsync("datasets", "get", "images:nosuch");
        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
        Assert.That(missing.Stderr, Does.Contain("dataset 'images' has no version or tag 'nosuch'"));
        var datasetsDir = Path.Combine(_node.StateDir, "datasets");
        Assert.That(File.GetUnixFileMode(datasetsDir) & (UnixFileMode.OtherRead | UnixFileMode.OtherExecute), Is.EqualTo(UnixFileMode.None), "the store is not world-readable");
    }

    [Test]
    public async Task DatasetsRm_VersionARunningContainerMounts_RefusedNamingTheJobThenRemovedOnceItStops()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var source = Path.Combine(_work, "src");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "a\n");
        await Ok("datasets", "create", "busy");
        var id = (await Ok("datasets", "upload", "busy", source)).Stdout.Split(' ')[0];
        var content = Path.Combine(_node.StateDir, "datasets", "busy", "versions", id.Split(':')[1], "content");
        Assert.That(File.ReadAllText(Path.Combine(content, "a.txt")), Is.EqualTo("a\n"));

        var container = await engine.CreateContainerAsync(
            new ContainerCreateRequest
            {
                Name = $"gn-test-dataset-user-{TestEnvironment.RunId}",
                Image = TestEnvironment.WebImage,
                Labels = new Dictionary<string, string>
                {
                    [TestEnvironment.RunLabel] = TestEnvironment.RunId,
                    [ContainerLabels.Workflow] = "train",
                    [ContainerLabels.Run] = "7",
                    [ContainerLabels.Job] = "job-1",
                },
                Binds = [new BindMount(content, "/inputs/busy", ReadOnly: true)],
            },
            CancellationToken.None);
        try
        {
            await engine.StartContainerAsync(container, CancellationToken.None);

            var refused = await _node.CliAsync("datasets", "rm", id);
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Stderr, Does.Contain($"dataset '{id}' is in use by workflow 'train' run 7 job 'job-1'"));
            using (var users = JsonDocument.Parse(await _node.ApiGetAsync("v1/datasets/busy/users")))
            {
                var use = users.RootElement.EnumerateArray().Single();
                Assert.That(use.GetProperty("version").GetString(), Is.EqualTo(id.Split(':')[1]));
                Assert.That(use.GetProperty("user").GetString(), Is.EqualTo("workflow 'train' run 7 job 'job-1'"));
                Assert.That(use.GetProperty("running").GetBoolean(), Is.True);
            }

            var whole = await _node.CliAsync("datasets", "rm", "busy");
            Assert.That(whole.ExitCode, Is.EqualTo(1), whole.ToString());
            Assert.That((await Ok("datasets", "versions", "busy")).Stdout, Does.Match($"(?m)^{id.Split(':')[1]} "));
        }
        finally
        {
            await engine.RemoveContainerAsync(container, force: true, CancellationToken.None);
        }

        using (var none = JsonDocument.Parse(await _node.ApiGetAsync("v1/datasets/busy/users")))
        {
            Assert.That(none.RootElement.GetArrayLength(), Is.Zero, "the removed container no longer uses it");
        }

        await Ok("datasets", "rm", id);
        Assert.That((await Ok("datasets", "versions", "busy")).Stdout, Does.Not.Contain(id.Split(':')[1]));
        Assert.That(Directory.Exists(content), Is.False);
    }

    private async Task<CliResult> Ok(params string[] args)
    {
        var result = await _node.CliAsync(args);
        Assert.That(result.ExitCode, Is.Zero, $"{string.Join(' ', args)}: {result}");
        return result;
    }

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(root, f),
            f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))),
            StringComparer.Ordinal);
}
