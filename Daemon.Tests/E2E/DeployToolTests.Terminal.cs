using System.Diagnostics;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary><c>ls</c> on a terminal of a known width (a pseudo-terminal under <c>script</c>, sized with <c>stty</c>), and in a pipe.</summary>
internal sealed partial class DeployToolTests
{
    [Test]
    public async Task Ls_OnATerminalOf80Columns_CutsALongMessageToTheLineButNotInAPipe()
    {
        await File.WriteAllTextAsync(_node.SpecPath("cut.yaml"), "name: cut\nimage: " + TestEnvironment.WebImage + "\n");
        // The status of an invalid spec says the same before the first reconcile as after it: waiting for the message is
        // what the row is compared with.
        var status = await _node.WaitForStatusAsync(
            "cut", s => s.State == DeploymentState.Invalid && s.Message?.Contains("nothing runs until it is fixed", StringComparison.Ordinal) == true, "Invalid with its full message");

        var screen = await LsUnderScriptAsync(columns: 80);
        var piped = await _node.CliAsync("ls");

        var row = screen.Split('\n').Single(l => l.StartsWith("cut ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(DisplayWidth.Of(row), Is.LessThanOrEqualTo(80), screen);
            Assert.That(row, Does.EndWith("…"), "before, the message wrapped under the next row");
            Assert.That(status.Message, Does.StartWith(row[(row.LastIndexOf("  ", StringComparison.Ordinal) + 2)..^1]));
            Assert.That(piped.Stdout, Does.Contain(status.Message), "a pipe gets the whole message");
        });
    }

    /// <summary><c>ls</c> with stdout a pseudo-terminal of <paramref name="columns"/>; what it wrote, without carriage returns.</summary>
    private async Task<string> LsUnderScriptAsync(int columns)
    {
        var command = $"stty cols {columns} rows 24; '{GradientNodeProcess.BinaryPath()}' --socket '{_node.Socket}' ls";
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-qefc", command, "/dev/null"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, await stdout);
        return (await stdout).Replace("\r", string.Empty, StringComparison.Ordinal);
    }
}
