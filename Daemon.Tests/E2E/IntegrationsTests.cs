using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Integrations and legacy repositories against real sources: s3rver, git + git-lfs over file://, private git over HTTP.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class IntegrationsTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;
    private TestIntegrationSources _sources = null!;

    [SetUp]
    public async Task SetUp()
    {
        _sources = TestIntegrationSources.Require();
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null) // null when SetUp ignored the test (no integration sources in the environment)
        {
            await _node.DisposeAsync();
            UnmountAll();
        }

        _engine?.Dispose();
    }

    [Test]
    public async Task S3Integration_NestedObjects_SameHashesInEveryReplicaReadOnlyAndScaleUpDoesNotFetchAgain()
    {
        var set = await _node.CliWithInputAsync("S3RVER", "secrets", "set", "s3key");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("s3 app", replicas: 2, extra: S3Integration("S3RVER")));

        var status = await _node.WaitForStatusAsync("s3 app", s => s.State == DeploymentState.Ready, "Ready with the s3 content", TestTimeouts.Rollout);
        var volume = status.Volumes.Single();
        Assert.That(volume, Has.Property(nameof(VolumeStatus.Field)).EqualTo("integrations[weights]").And.Property(nameof(VolumeStatus.State)).EqualTo("ready"));
        Assert.That(volume.FilesDone, Is.EqualTo(4));
        Assert.That(volume.DiskBytes, Is.GreaterThan(44_000_000));

        var expected = await ExpectedS3HashesAsync("readme.txt", "sub/config.json", "sub/deeper/small.bin", "large.bin");
        await _node.WaitForRouteAsync("s3-app");
        foreach (var listing in await ListingsFromEveryReplicaAsync("s3-app", "/opt/data/weights", replicas: 2))
        {
            Assert.That(Hashes(listing), Is.EquivalentTo(expected), listing);
            Assert.That(listing, Does.Contain("write=denied"), "the integration is mounted read-only");
        }

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("s3 app", replicas: 3, extra: S3Integration("S3RVER")));
        status = await _node.WaitForStatusAsync("s3 app", s => s.State == DeploymentState.Ready && s.ReadyReplicas == 3, "3 replicas Ready", TestTimeouts.Rollout);
        Assert.That(FetchCount("integrations[weights]"), Is.EqualTo(1), _node.Output);
        Assert.That(status.Volumes.Single().Fetches, Is.LessThanOrEqualTo(1));
        Assert.That(_node.Output, Does.Not.Contain("S3RVER\n"));
    }

    [Test]
    public async Task S3Integration_UnknownAccessKey_FailsNamingTheIntegrationAndStartsNothing()
    {
        var set = await _node.CliWithInputAsync("whatever-secret", "secrets", "set", "s3key");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("bad key", replicas: 1, extra: S3Integration("NOT-A-KEY")));

        var status = await _node.WaitForStatusAsync("bad key", s => s.State == DeploymentState.Failed, "Failed for the bad key");
        Assert.That(status.Message, Does.Contain("integrations[weights]").And.Contain("403").And.Contain("access denied"));
        Assert.That(status.Volumes.Single().State, Is.EqualTo("failed"));
        Assert.That(await _node.ContainersAsync(_engine, "bad-key", runningOnly: false), Is.Empty);
        Assert.That(_node.Output, Does.Not.Contain("whatever-secret"));
    }

    [Test]
    public async Task GitLfsIntegration_FileRemote_MountsTheLfsObjectNotItsPointer()
    {
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("lfs app", replicas: 1, extra: $"""
            integrations:
              - type: git-lfs
                name: model
                url: {_sources.GitLfsUrl}
                path: /models
            """));

        await _node.WaitForStatusAsync("lfs app", s => s.State == DeploymentState.Ready, "Ready with the LFS content", TestTimeouts.Rollout);
        await _node.WaitForRouteAsync("lfs-app");
        var listing = (await ListingsFromEveryReplicaAsync("lfs-app", "/models/model", replicas: 1)).Single();
        Assert.That(Hashes(listing)["weights.bin"], Is.EqualTo(_sources.GitLfsSha256), listing);
        Assert.That(Hashes(listing), Does.ContainKey("README.md"));
        Assert.That(listing, Does.Contain("write=denied"));
    }

    [Test]
    public async Task LegacyRepositories_PrivateHttpRepoWithSecret_ClonedIntoADatasetVersionInUseByTheReplica()
    {
        var set = await _node.CliWithInputAsync(_sources.GitHttpPassword, "secrets", "set", "gitpw");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await _node.WriteSpecAsync("legacy.yaml", $"""
            image: {TestEnvironment.WebImage}
            port: 8080
            resources:
              replicas: 1
              instanceType: C4
            repositories:
              dataset: code
              mountPath: /opt/code
              repositories:
                - name: private
                  url: {_sources.GitHttpUrl}
                  username: {_sources.GitHttpUser}
                  password: secret:gitpw
                - name: model
                  url: {_sources.GitLfsUrl}
            """);

        await _node.WaitForStatusAsync("legacy", s => s.State == DeploymentState.Ready, "Ready with the repositories", TestTimeouts.Rollout);
        await _node.WaitForRouteAsync("legacy");
        var listing = (await ListingsFromEveryReplicaAsync("legacy", "/opt/code", replicas: 1)).Single();
        var hashes = Hashes(listing);
        Assert.That(hashes, Does.ContainKey("private/README.md").And.ContainKey("model/weights.bin"), listing);
        Assert.That(hashes["private/README.md"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData("private content\n"u8.ToArray()))));
        Assert.That(hashes["model/weights.bin"], Is.EqualTo(_sources.GitLfsSha256));
        var datasets = await _node.CliAsync("datasets", "ls");
        Assert.That(datasets.Stdout, Does.Contain("code"), datasets.ToString());

        // The clone is a real dataset version (issue 16 §1), in use by the replica that mounts it.
        var versions = await _node.CliAsync("datasets", "versions", "code");
        Assert.That(versions.Stdout, Does.Match(@"(?m)^[a-z][a-z0-9]{6} ").And.Contain("cloned for deployment legacy").And.Contain("latest"), versions.ToString());
        var rm = await _node.CliAsync("datasets", "rm", "code");
        Assert.That(rm.ExitCode, Is.EqualTo(1), rm.ToString());
        Assert.That(rm.Stderr, Does.Contain("is in use by deployment 'legacy' replica 0"), rm.ToString());
        Assert.That(_node.Output, Does.Not.Contain(_sources.GitHttpPassword));
    }

    [Test]
    public async Task ModelIntegration_ModelsAddThenSpec_LatestVersionMountedReadOnlyAndDiskUseShown()
    {
        var source = Directory.CreateTempSubdirectory("gn-model-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(source, "weights.txt"), "version one\n");
            Assert.That((await _node.CliAsync("models", "add", "tiny", "--from", source)).Stdout, Does.Contain("tiny:1"));
            await File.WriteAllTextAsync(Path.Combine(source, "weights.txt"), "version two\n");
            Assert.That((await _node.CliAsync("models", "add", "tiny", "--from", source)).Stdout, Does.Contain("tiny:2"));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("model app", replicas: 1, extra: """
            integrations:
              - type: model
                name: tiny
                id: tiny
              - type: volume
                name: scratch
            """));

        var status = await _node.WaitForStatusAsync("model app", s => s.State == DeploymentState.Ready, "Ready with the model", TestTimeouts.Rollout);
        Assert.That(status.Volumes.Select(v => v.MountPath), Is.EquivalentTo(new[] { "/opt/models/tiny", "/opt/scratch" }));
        await _node.WaitForRouteAsync("model-app");
        var model = (await ListingsFromEveryReplicaAsync("model-app", "/opt/models/tiny", replicas: 1)).Single();
        Assert.That(Hashes(model)["weights.txt"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData("version two\n"u8.ToArray()))));
        Assert.That(model, Does.Contain("write=denied"));
        var scratch = (await ListingsFromEveryReplicaAsync("model-app", "/opt/scratch", replicas: 1)).Single();
        Assert.That(scratch, Does.Contain("write=ok"), "a volume integration is read-write");
        var models = await _node.CliAsync("models", "ls");
        Assert.That(models.Stdout, Does.Match(@"\ntiny +2 +2 "), models.ToString());
        var rm = await _node.CliAsync("models", "rm", "tiny");
        Assert.That(rm.ExitCode, Is.EqualTo(1), rm.ToString());
        Assert.That(rm.Stderr.Trim(), Is.EqualTo("error: model 'tiny' is in use by deployment 'model app' replica 0; change or delete those deployments first, nothing was removed"), "not the answer's JSON");
        Assert.That((await _node.CliAsync("models", "ls")).Stdout, Does.Match(@"\ntiny +2 +2 "), "a model a replica mounts is kept");
        var node = await _node.CliAsync("node", "-o", "json");
        Assert.That(node.Stdout, Does.Contain("\"disk\"").And.Contain("\"model-app\""), node.ToString());
    }

    [Test]
    public async Task ModelIntegration_SpecBeforeTheModel_ModelsAddHealsItAtOnce()
    {
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("late model", replicas: 1, extra: """
            integrations:
              - type: model
                name: late
                id: late
            """));
        await _node.WaitForStatusAsync("late model", s => s.Message.Contains("model 'late' is not in the node's model store", StringComparison.Ordinal), "Failed naming the missing model", TestTimeouts.Short);
        var source = Directory.CreateTempSubdirectory("gn-model-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(source, "weights.txt"), "late\n");
            Assert.That((await _node.CliAsync("models", "add", "late", "--from", source)).Stdout, Does.Contain("late:1"));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }

        // Sooner than the 15 s a failed deployment waits before it is looked at again: the new model enqueues it.
        await _node.WaitForStatusAsync("late model", s => s.Replicas.Count > 0, "a replica created once the model is there", TimeSpan.FromSeconds(8));
    }

    private string S3Integration(string accessKey, string? endpoint = null) => $"""
        integrations:
          - type: s3
            name: weights
            url: s3://{_sources.S3Bucket}/models/
            endpoint: {endpoint ?? _sources.S3Endpoint}
            region: us-east-1
            accessKeyId: {accessKey}
            secretAccessKey: secret:s3key
            path: /opt/data
        """;

    private int FetchCount(string field) => _node.Output.Split('\n').Count(l => l.Contains($"fetching {field}", StringComparison.Ordinal));

    private async Task<Dictionary<string, string>> ExpectedS3HashesAsync(params string[] keys)
    {
        using var http = new HttpClient();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var bytes = await http.GetByteArrayAsync($"{_sources.S3Endpoint}/{_sources.S3Bucket}/models/{key}");
            expected[key] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        return expected;
    }

    /// <summary>The <c>files</c> CGI's answer from each replica (through the proxy until every replica id answered).</summary>
    private async Task<List<string>> ListingsFromEveryReplicaAsync(string slug, string path, int replicas)
    {
        using var http = new HttpClient();
        var byReplica = new Dictionary<string, string>(StringComparer.Ordinal);
        await TestTimeouts.WaitUntilAsync(async () =>
        {
            var who = await (await http.SendAsync(_node.ProxyRequest(slug, "/cgi-bin/whoami"))).Content.ReadAsStringAsync();
            var files = await (await http.SendAsync(_node.ProxyRequest(slug, "/cgi-bin/files?" + path))).Content.ReadAsStringAsync();
            var filesWho = await (await http.SendAsync(_node.ProxyRequest(slug, "/cgi-bin/whoami"))).Content.ReadAsStringAsync();
            if (who == filesWho)
            {
                byReplica[who] = files;
            }

            return byReplica.Count >= replicas;
        }, TestTimeouts.Condition, $"every replica of {slug} answering");
        return [.. byReplica.Values];
    }

    private static Dictionary<string, string> Hashes(string listing) =>
        HashLine().Matches(listing).ToDictionary(m => m.Groups["path"].Value, m => m.Groups["hash"].Value, StringComparer.Ordinal);

    [GeneratedRegex(@"^(?<hash>[0-9a-f]{64})\s+\./(?<path>.+)$", RegexOptions.Multiline)]
    private static partial Regex HashLine();
}
