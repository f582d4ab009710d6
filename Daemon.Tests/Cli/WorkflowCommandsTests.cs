using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowCommandsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-wfcli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task RunAsync_RunWithAFileThatIsNotUtf8_ExitsOneAtTheByteWithoutCallingTheDaemon()
    {
        // Before: the bad byte became U+FFFD and the run was sent (nothing listens on this socket: a send would throw).
        var file = Path.Combine(_dir, "train.yaml");
        await File.WriteAllBytesAsync(file, [.. "jobs:\n  a:\n    uses: "u8, 0xC0, 0xAF, .. "\n"u8]);
        var error = new StringWriter();
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, error, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["run", "-f", file], "--wait"), CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"{file}:3:11: invalid UTF-8: byte 0xC0; the text must be UTF-8{Environment.NewLine}"));
    }

    [Test]
    public async Task RunAsync_RunWithADeploymentSpec_ExitsOnePointingAtApplyWithoutCallingTheDaemon()
    {
        var file = Path.Combine(_dir, "web.yaml");
        await File.WriteAllTextAsync(file, "name: web\nimage: nginx:1.27\nresources: {machineType: C4, ports: [80]}\n");
        var error = new StringWriter();
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, error, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["run", "-f", file], "--wait"), CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"{file}: a deployment spec (no 'jobs'), not a workflow; apply it with gradient-node apply -f {file}{Environment.NewLine}"));
    }
}
