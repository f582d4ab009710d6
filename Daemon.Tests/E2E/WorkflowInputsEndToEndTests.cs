using System.Net;
using System.Text;
using System.Text.Json;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary on a real engine: a run whose dataset input names a dataset, version or tag that does not
/// exist (given in <c>--inputs</c> or as the file's default) is refused before it is numbered (API 400, CLI exit 1),
/// naming the input, the dataset and the tag, headed by file:line:col of the reference (the inputs file's <c>ref</c> or the
/// workflow file's <c>with.ref</c>); before, it was numbered and ended ERROR. The same input runs once the
/// tag exists, as run 1. A job's inline dataset input is checked the same way at its <c>with.ref</c>, and reads the version
/// current when the run started, not one a job of the run committed to the dataset since.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowInputsEndToEndTests
{
    private const string Workflow = """
        inputs:
          data:
            type: dataset
            with:
              ref: src:golden
        jobs:
          a:
            uses: container@v1
            inputs:
              data: workflow.inputs.data
            with:
              image: gradient-test/web:1
              args: [sh, -c, "cat /inputs/data/f"]
        """;

    private GradientNodeProcess? _node;

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }
    }

    [Test]
    public async Task WorkflowsRun_DatasetInputTagOrDatasetMissing_RefusedBeforeItIsNumberedNamingInputDatasetAndTag()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var data = Directory.CreateDirectory(Path.Combine(_node.Root, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "f"), "x");
        Assert.That((await _node.CliAsync("datasets", "create", "src")).ExitCode, Is.Zero);
        var upload = await _node.CliAsync("datasets", "upload", "src", data);
        Assert.That(upload.ExitCode, Is.Zero, upload.ToString());
        var file = Path.Combine(_node.Root, "w.yaml");
        await File.WriteAllTextAsync(file, Workflow);
        var noSuchDataset = Path.Combine(_node.Root, "nosuch.yaml");
        await File.WriteAllTextAsync(noSuchDataset, "inputs:\n  data:\n    ref: nosuch\n");
        var noSuchVersion = Path.Combine(_node.Root, "noversion.yaml");
        await File.WriteAllTextAsync(noSuchVersion, "inputs:\n  data:\n    ref: src:v9\n");

        var defaultTagMissing = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var validated = await _node.CliAsync("validate", file);
        var datasetMissing = await _node.CliAsync("workflows", "run", "-f", file, "--inputs", noSuchDataset);
        var versionMissing = await _node.CliAsync("workflows", "run", "-f", file, "--inputs", noSuchVersion);
        using var client = _node.SocketClient();
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["spec"] = Workflow });
        using var api = await client.PostAsync(new Uri("v1/workflows/w/runs", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var apiAnswer = await api.Content.ReadAsStringAsync();
        using var apiJson = JsonDocument.Parse(apiAnswer);
        var apiErrors = apiJson.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        var runsBefore = await _node.CliAsync("workflows", "runs", "w");
        var runFolderBefore = Directory.Exists(Path.Combine(_node.StateDir, "workflows", "w", "1"));
        var version = upload.Stdout.Split(' ')[0];
        Assert.That((await _node.CliAsync("datasets", "tag", version, "golden")).ExitCode, Is.Zero);
        var tagged = await _node.CliAsync("workflows", "run", "-f", file, "--wait");

        // An output named like the stored 'src' in another case: warned by validate and at submit, and the run goes ahead.
        var twin = Path.Combine(_node.Root, "twin.yaml");
        await File.WriteAllTextAsync(twin, "jobs:\n  make:\n    uses: container@v1\n    outputs:\n      out:\n        type: dataset\n        with: {ref: SRC}\n    with:\n      image: gradient-test/web:1\n      args: [sh, -c, 'echo x > /outputs/out/f']\n");
        var twinValidated = await _node.CliAsync("validate", twin);
        var twinRan = await _node.CliAsync("workflows", "run", "-f", twin, "--wait");
        const string TwinWarning = "7:21: warning: jobs.make.outputs.out.with.ref: no dataset 'SRC' on this node, but 'src' differs from it only by case; dataset names are case-sensitive, so the run creates a second dataset 'SRC' beside 'src' (to add a version to 'src', write ref: src)";

        Assert.Multiple(() =>
        {
            Assert.That(validated.ExitCode, Is.Zero, validated.ToString());
            Assert.That(validated.Stderr, Is.EqualTo($"{file}:5:12: warning: inputs.data: dataset 'src' has no version or tag 'golden'; list its versions and tags: gradient-node datasets versions src; workflows run refuses the run until then\n"), "validate says what submit refuses");
            Assert.That(twinValidated.ExitCode, Is.Zero, twinValidated.ToString());
            Assert.That(twinValidated.Stderr, Is.EqualTo($"{twin}:{TwinWarning}\n"));
            Assert.That(twinRan.ExitCode, Is.Zero, "a second dataset may be meant: warned, not refused; " + twinRan);
            Assert.That(twinRan.Stderr, Does.Contain($"{twin}:{TwinWarning}\n"), "the submit warns at the same place");
            Assert.That(defaultTagMissing.ExitCode, Is.EqualTo(1), defaultTagMissing.ToString());
            Assert.That(defaultTagMissing.Stdout, Does.Not.Contain("started"), "no run was numbered");
            Assert.That(defaultTagMissing.Stderr, Does.Contain($"error: workflow 'w' cannot run with these inputs\n{file}:5:12: inputs.data: dataset 'src' has no version or tag 'golden'; list its versions and tags: gradient-node datasets versions src"), "located at the file's with.ref, the file named as typed");
            Assert.That(datasetMissing.ExitCode, Is.EqualTo(1), datasetMissing.ToString());
            Assert.That(datasetMissing.Stderr, Does.Contain($"{noSuchDataset}:3:10: inputs.data: no dataset 'nosuch' (create it: gradient-node datasets create nosuch)"), "located at the inputs file's ref");
            Assert.That(versionMissing.ExitCode, Is.EqualTo(1), versionMissing.ToString());
            Assert.That(versionMissing.Stderr, Does.Contain($"{noSuchVersion}:3:10: inputs.data: dataset 'src' has no version or tag 'v9'"));
            Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), apiAnswer);
            Assert.That(apiErrors, Is.EqualTo(new[] { "w.yaml:5:12: inputs.data: dataset 'src' has no version or tag 'golden'; list its versions and tags: gradient-node datasets versions src" }), "the API names the file NAME.yaml when the body names none");
            Assert.That(runsBefore.ExitCode + runsBefore.Stdout + runsBefore.Stderr, Does.Not.Match(@"(?m)^1 "), "the refused runs left no run behind");
            Assert.That(runFolderBefore, Is.False, "no run folder was made");
            Assert.That(tagged.ExitCode, Is.Zero, tagged.ToString());
            Assert.That(tagged.Stdout, Does.Contain("workflow 'w' run 1 started"), "a refused run takes no number");
        });
    }

    [Test]
    public async Task WorkflowsRun_InlineJobInput_RefusedAtSubmitAtItsRefWhenMissingAndReadsTheVersionCurrentAtTheStart()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var data = Directory.CreateDirectory(Path.Combine(_node.Root, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "f"), "old");
        Assert.That((await _node.CliAsync("datasets", "create", "src")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("datasets", "upload", "src", data)).ExitCode, Is.Zero);
        var missing = Path.Combine(_node.Root, "missing.yaml");
        await File.WriteAllTextAsync(missing, """
            jobs:
              read:
                uses: container@v1
                inputs:
                  d:
                    type: dataset
                    with:
                      ref: nosuch
                with:
                  image: gradient-test/web:1
            """);
        var pinned = Path.Combine(_node.Root, "pinned.yaml");
        await File.WriteAllTextAsync(pinned, """
            jobs:
              make:
                uses: container@v1
                outputs:
                  out:
                    type: dataset
                    with: {ref: src}
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo new > /outputs/out/f']
              read:
                needs: [make]
                uses: container@v1
                inputs:
                  d:
                    type: dataset
                    with: {ref: src}
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo "read $(cat /inputs/d/f)"']
            """);

        var refused = await _node.CliAsync("workflows", "run", "-f", missing, "--wait");
        var runs = await _node.CliAsync("workflows", "runs", "missing");
        var ran = await _node.CliAsync("workflows", "run", "-f", pinned, "--wait");
        var logs = await _node.CliAsync("workflows", "logs", "pinned", "1", "--job", "read");
        var versions = await _node.CliAsync("datasets", "versions", "src");

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Stderr, Does.Contain($"error: workflow 'missing' cannot run with these inputs\n{missing}:8:16: jobs.read.inputs.d: no dataset 'nosuch' (create it: gradient-node datasets create nosuch)"), refused.ToString());
            Assert.That(runs.Stdout, Does.Not.Match(@"(?m)^1 "), "no run was numbered");
            Assert.That(ran.ExitCode, Is.Zero, ran.ToString());
            Assert.That(logs.Stdout, Does.Contain("read old").And.Not.Contain("read new"), "the version current at the start, not the one job make committed");
            Assert.That(versions.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3), "make did commit a second version (header and two rows): " + versions.Stdout);
        });
    }
}
