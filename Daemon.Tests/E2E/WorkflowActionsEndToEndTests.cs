using System.Diagnostics;
using System.Text.Json;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary runs the node's own actions: the seed page's second example (seeds/003, "stylegan":
/// <c>git-checkout@v1</c> into a volume, then a <c>script@v1</c> job on a P4000 GPU writing the dataset
/// <c>demo-dataset</c>) with a local bare repository in place of GitHub, <c>gradient-test/bash:1</c> in place of
/// tensorflow and a fake nvidia-smi (the dockerd maps a runtime named nvidia to runc, as in the GPU tests); and
/// <c>create-model@v1</c> on a dataset uploaded with the CLI, seen by <c>models ls</c>.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowActionsEndToEndTests
{
    private const string BashImage = "gradient-test/bash:1";

    /// <summary>What the repository's script does in place of stylegan2's run_generator.py: one file per seed.</summary>
    private const string Generator = """
        #!/usr/bin/env bash
        set -euo pipefail
        [[ $1 == generate-images ]] || { echo "unknown command $1" >&2; exit 2; }
        for arg in "${@:2}"; do
          case $arg in
            --seeds=*) seeds=${arg#--seeds=} ;;
            --result-dir=*) out=${arg#--result-dir=} ;;
          esac
        done
        mkdir -p "$out"
        for seed in $(seq "${seeds%-*}" "${seeds#*-}"); do
          echo "face $seed" > "$out/seed$seed.png"
        done
        echo "GPU: $NVIDIA_VISIBLE_DEVICES count ${PAPERSPACE_GPU_COUNT:-0}"

        """;

    private GradientNodeProcess? _node;
    private FakeNvidiaSmi? _smi;

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null; // one fixture object runs every test: a test ignored before it starts a node must not dispose the last one's again
        }

        _smi?.Dispose();
    }

    [Test]
    public async Task WorkflowsRun_StyleGanSeedExample_ClonesThenTheGpuJobCommitsTheGeneratedFacesToDemoDataset()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        await TestEnvironment.RequireNvidiaRuntimeAsync(engine);

        await RequireImageAsync(engine, BashImage);
        _smi = new FakeNvidiaSmi(gpus: 1);
        _node = GradientNodeProcess.Prepare();
        _node.ExtraEnvironment["PATH"] = _smi.SearchPath;
        var repos = Directory.CreateDirectory(Path.Combine(_node.Root, "git")).FullName;
        var url = await MakeRepositoryAsync(repos, "stylegan2");
        await _node.StartAsync(extraArgs: ["--git-local-root", repos]);
        Assert.That((await _node.CliAsync("datasets", "create", "demo-dataset")).ExitCode, Is.Zero);
        var file = Path.Combine(_node.Root, "stylegan.yaml");
        await File.WriteAllTextAsync(file, StyleGanWorkflow(url));

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var json = await _node.CliAsync("workflows", "get", "stylegan", "1", "-o", "json");
        var logs = await _node.CliAsync("workflows", "logs", "stylegan", "1", "--job", "StyleGan2");
        var versions = await _node.CliAsync("datasets", "versions", "demo-dataset");
        var download = Path.Combine(_node.Root, "faces");
        var downloaded = await _node.CliAsync("datasets", "download", "demo-dataset", download);

        Assert.That(run.ExitCode, Is.Zero, run + "\n" + json.Stdout + "\n" + _node.Output);
        using var status = JsonDocument.Parse(json.Stdout);
        var root = status.RootElement;
        var faces = root.GetProperty("jobs").GetProperty("StyleGan2").GetProperty("outputs").GetProperty("generatedFaces").GetProperty("dataset");
        var id = faces.GetProperty("id").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain("CloneRepo: SUCCEEDED").And.Contain("StyleGan2: SUCCEEDED").And.Contain("run 1: SUCCEEDED"));
            Assert.That(root.GetProperty("phase").GetString(), Is.EqualTo("SUCCEEDED"));
            Assert.That(id, Does.Match("^demo-dataset:[a-z0-9]{7}$"));
            Assert.That(faces.GetProperty("isCommitted").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("outputs").GetProperty("StyleGan2.generatedFaces").GetProperty("dataset").GetProperty("id").GetString(), Is.EqualTo(id));
            Assert.That(root.GetProperty("jobs").GetProperty("StyleGan2").GetProperty("inputs").GetProperty("repo").GetProperty("type").GetString(), Is.EqualTo("volume"));
            Assert.That(versions.Stdout, Does.Contain(id!.Split(':')[1]).And.Contain("latest"), versions.ToString());
            Assert.That(downloaded.ExitCode, Is.Zero, downloaded.ToString());
            Assert.That(Directory.EnumerateFiles(download).Select(Path.GetFileName).Order(), Is.EqualTo(Enumerable.Range(6600, 6).Select(s => $"seed{s}.png")));
            Assert.That(File.ReadAllText(Path.Combine(download, "seed6603.png")), Is.EqualTo("face 6603\n"));
            Assert.That(logs.Stdout, Does.Contain($"GPU: {_smi.Uuids[0]} count 1"), "the P4000 job got the node's GPU");
        });
    }

    [Test]
    public async Task WorkflowsRun_CreateModelFromAnUploadedDataset_ModelsLsShowsTheNewVersionAndItsIdReachesTheNextJob()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var data = Directory.CreateDirectory(Path.Combine(_node.Root, "trained-files")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "weights.txt"), "trained\n");
        Assert.That((await _node.CliAsync("datasets", "create", "trained")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("datasets", "upload", "trained", data)).ExitCode, Is.Zero);
        var file = Path.Combine(_node.Root, "register.yaml");
        await File.WriteAllTextAsync(file, """
            jobs:
              register:
                inputs:
                  model:
                    type: dataset
                    with:
                      ref: trained
                outputs:
                  model-id:
                    type: string
                uses: create-model@v1
                with:
                  name: faces
                  type: Tensorflow
              use:
                needs:
                  - register
                inputs:
                  id: register.outputs.model-id
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo using $(cat /inputs/id)"]
            """);

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var json = await _node.CliAsync("workflows", "get", "register", "1", "-o", "json");
        var logs = await _node.CliAsync("workflows", "logs", "register", "1", "--job", "use");
        var models = await _node.CliAsync("models", "ls");

        Assert.That(run.ExitCode, Is.Zero, run + "\n" + json.Stdout);
        using var status = JsonDocument.Parse(json.Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(status.RootElement.GetProperty("jobs").GetProperty("register").GetProperty("outputs").GetProperty("model-id").GetProperty("value").GetString(), Is.EqualTo("faces:1"));
            Assert.That(logs.Stdout, Is.EqualTo("using faces:1\n"));
            Assert.That(models.Stdout, Does.Match(@"faces +1 +1 +8 bytes, 1 file\n"), models.ToString());
        });
    }

    [Test]
    public async Task WorkflowsRun_GitCheckoutWrongPassword_FailsNamingTheUrl_ThePasswordNowhereInOutputStatusOrLog()
    {
        const string wrong = "wrong-password-e2e-7d2a";
        var sources = TestIntegrationSources.Require();
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        Assert.That((await _node.CliWithInputAsync(wrong, "secrets", "set", "gitpw")).ExitCode, Is.Zero);
        var file = Path.Combine(_node.Root, "private.yaml");
        await File.WriteAllTextAsync(file, $"""
            jobs:
              CloneRepo:
                outputs:
                  repo:
                    type: volume
                uses: git-checkout@v1
                with:
                  url: {sources.GitHttpUrl}
                  username: {sources.GitHttpUser}
                  password: secret:gitpw
            """);

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var json = await _node.CliAsync("workflows", "get", "private", "1", "-o", "json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stdout, Does.Contain($"CloneRepo: FAILED: git clone {sources.GitHttpUrl} failed: ").And.Contain("authentication failed"));
            Assert.That(run.ToString() + json + _node.Output, Does.Not.Contain(wrong));
            Assert.That(File.ReadAllText(Path.Combine(_node.StateDir, "workflows", "private", "1", "run.json")), Does.Not.Contain(wrong));
        });
    }

    private static string StyleGanWorkflow(string url) => $$"""
        jobs:
          CloneRepo:
            resources:
              instance-type: C5
            outputs:
              repo:
                type: volume
            uses: git-checkout@v1
            with:
              url: {{url}}
          StyleGan2:
            resources:
              instance-type: P4000
            needs:
              - CloneRepo
            inputs:
              repo: CloneRepo.outputs.repo
            outputs:
              generatedFaces:
                type: dataset
                with:
                  ref: demo-dataset
            uses: script@v1
            with:
              script: |-
                cp -R /inputs/repo /stylegan2
                cd /stylegan2
                bash run_generator.sh generate-images \
                  --network=gdrive:networks/stylegan2-ffhq-config-f.pkl \
                  --seeds=6600-6605 \
                  --truncation-psi=0.5 \
                  --result-dir=/outputs/generatedFaces
              image: {{BashImage}}
        """;

    /// <summary>A bare repository <c>NAME.git</c> under <paramref name="folder"/> holding the generator script, made with git.</summary>
    private static async Task<string> MakeRepositoryAsync(string folder, string name)
    {
        var work = Directory.CreateDirectory(Path.Combine(folder, name + "-work")).FullName;
        var bare = Path.Combine(folder, name + ".git");
        await File.WriteAllTextAsync(Path.Combine(work, "run_generator.sh"), Generator);
        await GitAsync(folder, "init", "-q", "--bare", "-b", "main", bare);
        await GitAsync(work, "init", "-q", "-b", "main");
        await GitAsync(work, "add", "run_generator.sh");
        await GitAsync(work, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", "generator");
        await GitAsync(work, "push", "-q", "file://" + bare, "main");
        return "file://" + bare;
    }

    private static async Task GitAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var git = Process.Start(start)!;
        var stderr = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.That(git.ExitCode, Is.Zero, $"git {string.Join(' ', args)}: {stderr}");
    }

    private static async Task RequireImageAsync(IContainerEngine engine, string image)
    {
        if (await engine.InspectImageAsync(image, CancellationToken.None) is not null)
        {
            return;
        }

        var problem = $"the test image {image} is missing on {TestEnvironment.DockerHost}. Build it: DOCKER_HOST={TestEnvironment.DockerHost} tests/images/build.sh";
        if (TestEnvironment.IsCi)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
    }
}
