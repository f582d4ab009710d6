// Over 300 lines: one fixture for the three node-side actions against the real git server, s3rver and engine, sharing their setup and teardown.
using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Integrations;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// The node's own actions (<c>git-checkout@v1</c>, <c>s3-download@v1</c>, <c>create-model@v1</c>) inside the real runner,
/// with the real fetchers against the sources <c>./test.sh</c> starts (the private git server with basic auth, s3rver),
/// the real dataset and model stores, and the real engine for the jobs that consume their outputs.
/// </summary>
[TestFixture]
[Category("Engine")]
internal sealed class DaemonActionsEngineTests
{
    private const string Image = "gradient-test/web:1";
    private const string WrongPassword = "not-the-password-5f1c";
    private string _state = string.Empty;
    private string _node = string.Empty;
    private DatasetStore _datasets = null!;
    private VersionedStore _models = null!;
    private TestIntegrationSources _sources = null!;

    [SetUp]
    public void SetUp()
    {
        _sources = TestIntegrationSources.Require();
        _state = Directory.CreateTempSubdirectory("gn-wfact-").FullName;
        _node = $"wfact-test-{Guid.NewGuid():N}"[..24];
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), TimeProvider.System);
        _models = new VersionedStore(Path.Combine(_state, "models"));
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_state.Length == 0)
        {
            return; // SetUp ignored the test (no integration sources outside ./test.sh): nothing was made.
        }

        using var engine = await TestEnvironment.RequireEngineAsync();
        foreach (var container in await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], CancellationToken.None))
        {
            await engine.RemoveContainerAsync(container.Id, force: true, CancellationToken.None);
        }

        Directory.Delete(_state, recursive: true);
    }

    [Test]
    public async Task Run_GitCheckoutPrivateRepoWithSecretPassword_ContentLandsDirectlyInTheDatasetOutputAndReachesTheNextJob()
    {
        var status = await RunAsync("clone", $$$"""
            jobs:
              clone:
                outputs:
                  code: {type: dataset, with: {ref: code}}
                uses: git-checkout@v1
                with:
                  url: {{{_sources.GitHttpUrl}}}
                  username: {{{_sources.GitHttpUser}}}
                  password: secret:gitpw
              use:
                needs: [clone]
                inputs:
                  code: clone.outputs.code
                outputs:
                  readme: {type: string}
                uses: container@v1
                with: {image: {{{Image}}}, args: [sh, -c, "cat /inputs/code/README.md > /outputs/readme"]}
            """);

        Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
        var code = _datasets.Resolve("code");
        var content = _datasets.ContentPathOf(code.Dataset, code.Version);
        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["clone"].Outputs["code"].Dataset, Is.EqualTo(new DatasetValue(code.Id, true)));
            Assert.That(File.ReadAllText(Path.Combine(content, "README.md")), Is.EqualTo("private content\n"), "the repository's content, not a folder named after it (§9.2)");
            Assert.That(Directory.EnumerateDirectories(content).Select(Path.GetFileName), Is.EquivalentTo(new[] { ".git" }));
            Assert.That(status.Jobs["use"].Outputs["readme"].Value, Is.EqualTo("private content\n"));
            Assert.That(File.ReadAllText(RunJson("clone")), Does.Not.Contain(_sources.GitHttpPassword));
            Assert.That(Directory.EnumerateFiles(content, "*", SearchOption.AllDirectories).Select(File.ReadAllText), Has.None.Contains(_sources.GitHttpPassword), "the password is not written into the clone");
        });
    }

    [Test]
    public async Task Run_GitCheckoutRefAndPath_BranchAndTagPickTheirCommits_PathPutsTheContentInASubfolder()
    {
        var auth = $"username: {_sources.GitHttpUser}, password: \"secret:gitpw\"";
        var status = await RunAsync("refs", $$$"""
            jobs:
              default:
                outputs:
                  main: {type: dataset, with: {ref: ref-main}}
                uses: git-checkout@v1
                with: {url: "{{{_sources.GitHttpUrl}}}", {{{auth}}} }
              branch:
                outputs:
                  dev: {type: dataset, with: {ref: ref-dev}}
                uses: git-checkout@v1
                with: {url: "{{{_sources.GitHttpUrl}}}", ref: dev, {{{auth}}} }
              tag:
                outputs:
                  tagged: {type: dataset, with: {ref: ref-tag}}
                  other: {type: volume}
                uses: git-checkout@v1
                with: {url: "{{{_sources.GitHttpUrl}}}", ref: release-1, path: /outputs/tagged/sub/folder, {{{auth}}} }
            """);

        Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
        var main = Content("ref-main");
        var dev = Content("ref-dev");
        var tag = Path.Combine(Content("ref-tag"), "sub", "folder");
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(main, "README.md")) && !File.Exists(Path.Combine(main, "dev.txt")) && !File.Exists(Path.Combine(main, "tag.txt")), Is.True, "no ref: the default branch");
            Assert.That(File.ReadAllText(Path.Combine(dev, "dev.txt")), Is.EqualTo("dev\n"));
            Assert.That(File.Exists(Path.Combine(dev, "tag.txt")), Is.False);
            Assert.That(File.ReadAllText(Path.Combine(tag, "tag.txt")), Is.EqualTo("release-1\n"));
            Assert.That(File.Exists(Path.Combine(tag, "dev.txt")), Is.False);
            Assert.That(Directory.EnumerateFileSystemEntries(Content("ref-tag")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "sub" }), "with.path decides where it lands");
        });
    }

    [Test]
    public async Task Run_GitCheckoutWrongPasswordOrUnknownRef_FailedNamingTheUrlNeverThePassword_NothingCommitted()
    {
        var status = await RunAsync("badpw", $$$"""
            jobs:
              clone:
                outputs:
                  code: {type: dataset, with: {ref: never-cloned}}
                uses: git-checkout@v1
                with:
                  url: {{{_sources.GitHttpUrl}}}
                  username: {{{_sources.GitHttpUser}}}
                  password: secret:wrongpw
              badref:
                outputs:
                  other: {type: volume}
                uses: git-checkout@v1
                with: {url: "{{{_sources.GitHttpUrl}}}", ref: no-such-ref, username: {{{_sources.GitHttpUser}}}, password: "secret:gitpw"}
              after:
                needs: [clone]
                uses: container@v1
                with: {image: {{{Image}}}, args: [sh, -c, "true"]}
            """);

        var message = status.Jobs["clone"].Message;
        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["clone"].Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(message, Does.StartWith($"git clone {_sources.GitHttpUrl} failed: ").And.EndWith("(authentication failed: check with.username and with.password (secret:wrongpw))"));
            Assert.That(message, Does.Not.Contain(WrongPassword));
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Jobs["after"].Phase, Is.EqualTo(WorkflowPhase.Skipped));
            Assert.That(status.Jobs["badref"].Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Jobs["badref"].Message, Is.EqualTo($"repository {_sources.GitHttpUrl} has no branch, tag or commit 'no-such-ref'"));
            Assert.That(Committed("never-cloned"), Is.Empty);
            Assert.That(File.ReadAllText(RunJson("badpw")), Does.Not.Contain(WrongPassword));
        });
    }

    [Test]
    public async Task Run_S3DownloadWithPath_ObjectsUnderThePrefixLandThere()
    {
        var status = await RunAsync("s3", $$$"""
            jobs:
              fetch:
                outputs:
                  weights: {type: dataset, with: {ref: weights}}
                uses: s3-download@v1
                with:
                  url: s3://{{{_sources.S3Bucket}}}/models/sub/
                  endpoint: {{{_sources.S3Endpoint}}}
                  region: us-east-1
                  access-key: S3RVER
                  secret-access-key: secret:s3key
                  path: /outputs/weights/sub
              use:
                needs: [fetch]
                inputs:
                  weights: fetch.outputs.weights
                outputs:
                  config: {type: string}
                uses: container@v1
                with: {image: {{{Image}}}, args: [sh, -c, "cat /inputs/weights/sub/config.json > /outputs/config"]}
            """);

        Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
        var content = Content("weights");
        Assert.Multiple(() =>
        {
            Assert.That(Directory.EnumerateFiles(content, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(content, f)), Is.EquivalentTo(new[] { "sub/config.json", "sub/deeper/small.bin" }));
            Assert.That(new FileInfo(Path.Combine(content, "sub", "deeper", "small.bin")).Length, Is.EqualTo(3_145_728));
            Assert.That(status.Jobs["use"].Outputs["config"].Value, Is.EqualTo("{\"layers\": 2}\n"));
        });
    }

    [Test]
    public async Task Run_S3DownloadUnknownBucketEmptyPrefixRefusedKeyOrUnreachableEndpoint_FailedWithAClearMessage_NothingCommitted()
    {
        var closed = GradientNodeProcess.FreePort();
        var status = await RunAsync("s3bad", $$$"""
            jobs:
              nobucket:
                outputs:
                  a: {type: dataset, with: {ref: never-a}}
                uses: s3-download@v1
                with: {url: "s3://no-such-bucket/models/", endpoint: "{{{_sources.S3Endpoint}}}", access-key: S3RVER, secret-access-key: "secret:s3key"}
              badkey:
                outputs:
                  c: {type: volume}
                uses: s3-download@v1
                with: {url: "s3://{{{_sources.S3Bucket}}}/models/", endpoint: "{{{_sources.S3Endpoint}}}", access-key: NOT-A-KEY, secret-access-key: "secret:s3key"}
              emptyprefix:
                outputs:
                  e: {type: dataset, with: {ref: never-e}}
                uses: s3-download@v1
                with: {url: "s3://{{{_sources.S3Bucket}}}/no-such-folder/", endpoint: "{{{_sources.S3Endpoint}}}", access-key: S3RVER, secret-access-key: "secret:s3key"}
              noserver:
                outputs:
                  b: {type: volume}
                uses: s3-download@v1
                with: {url: "s3://{{{_sources.S3Bucket}}}/models/", endpoint: "http://127.0.0.1:{{{closed}}}", access-key: S3RVER, secret-access-key: "secret:s3key"}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["nobucket"].Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Jobs["nobucket"].Message, Is.EqualTo("s3://no-such-bucket/models/: bucket 'no-such-bucket' does not exist"));
            Assert.That(status.Jobs["badkey"].Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Jobs["badkey"].Message, Is.EqualTo($"s3://{_sources.S3Bucket}/models/: access denied (403 InvalidAccessKeyId): check with.access-key and with.secret-access-key (secret:s3key)"));
            Assert.That(status.Jobs["noserver"].Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Jobs["noserver"].Message, Does.StartWith($"s3://{_sources.S3Bucket}/models/: network error: ").And.Contain($"127.0.0.1:{closed}"));
            Assert.That(status.Jobs["emptyprefix"].Phase, Is.EqualTo(WorkflowPhase.Failed), "a prefix with no objects is a typo far likelier than an empty dataset meant");
            Assert.That(status.Jobs["emptyprefix"].Message, Does.Contain($"no objects under s3://{_sources.S3Bucket}/no-such-folder/; check the url's prefix"));
            Assert.That(Committed("never-a"), Is.Empty);
            Assert.That(Committed("never-e"), Is.Empty, "no empty version committed");
        });
    }

    [Test]
    public async Task Run_CreateModel_DatasetInputBecomesTheNextModelVersion_IdReachesTheDependant()
    {
        await _models.AddAsync("faces", (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "weights.txt"), "old\n", ct), CancellationToken.None);
        _datasets.Create("trained", null);
        var write = _datasets.BeginWrite("trained", null);
        Directory.CreateDirectory(Path.Combine(write.ContentPath, "sub"));
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "weights.txt"), "new\n");
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "sub", "config.json"), "{}");
        using (var sparse = new FileStream(Path.Combine(write.ContentPath, "disk.img"), FileMode.CreateNew))
        {
            sparse.SetLength(512L << 20); // a job's `truncate -s`: holes, which the copy wrote out as zeros (up to 1 TiB)
            sparse.Position = (512L << 20) - 1;
            sparse.WriteByte((byte)'x');
        }

        await _datasets.CommitAsync(write, CancellationToken.None);

        var status = await RunAsync("register", $$$"""
            jobs:
              register:
                inputs:
                  model: {type: dataset, with: {ref: trained}}
                outputs:
                  model-id: {type: string}
                uses: create-model@v1
                with: {name: faces, type: Custom}
              use:
                needs: [register]
                inputs:
                  id: register.outputs.model-id
                outputs:
                  got: {type: string}
                uses: container@v1
                with: {image: {{{Image}}}, args: [sh, -c, "cat /inputs/id > /outputs/got"]}
            """);

        Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["register"].Outputs["model-id"].Value, Is.EqualTo("faces:2"));
            Assert.That(status.Jobs["use"].Outputs["got"].Value, Is.EqualTo("faces:2"));
            Assert.That(_models.Get("faces")!.Versions, Is.EqualTo(new[] { "1", "2" }));
            Assert.That(File.ReadAllText(Path.Combine(_models.Resolve("faces:2")!, "weights.txt")), Is.EqualTo("new\n"));
            Assert.That(File.ReadAllText(Path.Combine(_models.Resolve("faces:2")!, "sub", "config.json")), Is.EqualTo("{}"));
            Assert.That(File.ReadAllText(Path.Combine(_models.Resolve("faces:1")!, "weights.txt")), Is.EqualTo("old\n"), "the earlier version is untouched");
            var disk = Path.Combine(_models.Resolve("faces:2")!, "disk.img");
            Assert.That(new FileInfo(disk).Length, Is.EqualTo(512L << 20));
            Assert.That(Datasets.DatasetStoreTests.AllocatedBytes(disk), Is.LessThan(1 << 20), "the sparse file's holes stay holes in the model");
        });
    }

    private string RunJson(string workflow) => Path.Combine(_state, "workflows", workflow, "1", "run.json");

    private string Content(string dataset)
    {
        var resolved = _datasets.Resolve(dataset);
        return _datasets.ContentPathOf(resolved.Dataset, resolved.Version);
    }

    private IReadOnlyList<DatasetVersion> Committed(string name)
    {
        try
        {
            return _datasets.Versions(name);
        }
        catch (DatasetException)
        {
            return [];
        }
    }

    private async Task<WorkflowRunStatus> RunAsync(string name, string yaml)
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var store = new WorkflowRunStore(_state);
        var datasets = new DatasetStoreWorkflowDatasets(_datasets);
        var mounts = new JobMounts(store, datasets);
        var options = new WorkflowOptions { NodeName = _node, StopGrace = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100) };
        var executor = new ContainerJobExecutor(engine, new JobImages(engine, null), null, options, TimeProvider.System);
        var actions = new DaemonActions([new GitFetcher(GitRemotePolicy.NoLocalRemotes), new S3Fetcher()], _models, TimeProvider.System);
        var secrets = new JobSecrets(n => n switch { "gitpw" => _sources.GitHttpPassword, "wrongpw" => WrongPassword, "s3key" => "S3RVER", _ => null });
        var service = new WorkflowService(store, new JobRunner(executor, actions, mounts, datasets, secrets, TimeProvider.System), mounts, new JobSlots(4), TimeProvider.System, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var parsed = WorkflowParser.Parse($"{name}.yaml", yaml);
            Assert.That(parsed.Errors.Select(e => e.ToString()), Is.Empty);
            var (plan, errors) = RunPlanBuilder.Build(name, parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ($"{name}.yaml", yaml), null, null).Values!);
            Assert.That(errors, Is.Empty);
            var record = await service.StartRunAsync(plan!, yaml, null);
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get(name, record.Status.Run)?.Status.Phase.IsFinished() == true), TestTimeouts.Rollout, $"run {name} to end");
            return service.Get(name, record.Status.Run)!.Status;
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}
