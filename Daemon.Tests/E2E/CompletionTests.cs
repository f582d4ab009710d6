using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>scripts/completion/gradient-node.bash</c> in a real bash, with the published binary on PATH talking to a running
/// node: verbs, flags, and the deployment and workflow names it reads from the socket.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed class CompletionTests
{
    private const string Complete = """
        source "$1"
        t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _gradient_node; echo "$* => ${COMPREPLY[*]}"; }
        t gradient-node wor
        t gradient-node apply --w
        t gradient-node schema ""
        t gradient-node get ""
        t gradient-node workflows ""
        t gradient-node workflows runs ""
        t gradient-node workflows run --n
        t gradient-node workflows runs -
        """;

    private GradientNodeProcess _node = null!;
    private string _bin = null!;

    [SetUp]
    public async Task SetUp()
    {
        (await TestEnvironment.RequireEngineAsync()).Dispose();
        _node = await GradientNodeProcess.StartAsync();
        _bin = Directory.CreateTempSubdirectory("gn-completion-").FullName;
        File.CreateSymbolicLink(Path.Combine(_bin, "gradient-node"), GradientNodeProcess.BinaryPath());
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        if (_bin is not null)
        {
            Directory.Delete(_bin, recursive: true);
            _bin = null!;
        }
    }

    [Test]
    public async Task Complete_VerbsFlagsAndNames_ReadsDeploymentsAndWorkflowsFromTheSocket()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("completed-app", replicas: 1));
        var workflow = Path.Combine(_bin, "wf.yaml");
        await File.WriteAllTextAsync(workflow, $"jobs:\n  hello:\n    uses: container@v1\n    with:\n      image: {TestEnvironment.WebImage}\n      args: [sh, -c, 'echo hi']\n");
        var run = await _node.CliAsync("workflows", "run", "-f", workflow, "--name", "completed-wf");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await _node.WaitForStatusAsync("completed-app", _ => true, "the deployment in the catalog");

        var env = new Dictionary<string, string>
        {
            ["PATH"] = $"{_bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["GRADIENT_SOCKET"] = _node.Socket,
        };
        var script = Path.Combine(ShellTool.RepoRoot(), "scripts", "completion", "gradient-node.bash");
        var (exitCode, output) = await ShellTool.RunAsync("bash", ["-c", Complete, "complete", script], env);

        Assert.That(exitCode, Is.Zero, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EqualTo(new[]
        {
            "gradient-node wor => workflows",
            "gradient-node apply --w => --wait",
            "gradient-node schema  => deployment workflow",
            "gradient-node get  => completed-app",
            "gradient-node workflows  => run ls runs get cancel delete logs",
            "gradient-node workflows runs  => completed-wf",
            "gradient-node workflows run --n => --name",
            "gradient-node workflows runs - => -o --socket",
        }), output);
    }
}
