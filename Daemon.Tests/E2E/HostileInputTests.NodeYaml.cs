using System.Diagnostics;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>node.yaml mistakes as the published binary reports them: where they were written, file:line:col.</summary>
internal sealed partial class HostileInputTests
{
    [Test]
    public async Task Daemon_NodeYamlWithUnclosedList_RefusesToStartNamingLineAndColumn()
    {
        // YamlDotNet throws without a position here; the message used to be "invalid YAML: Operation is not valid due to the current state of the object."
        var (exitCode, stderr) = await DaemonWithConfigAsync("listen: [http://127.0.0.1:0\ndomain: x.example\n");

        Assert.That(exitCode, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain("node.yaml:1:9: invalid YAML: the parser stopped after this point (check for an unclosed '[', '{' or quote)"));
    }

    [TestCase("domain: x.example\nhsts: 5ms\n", "node.yaml:2:1: hsts is at least 1s")]
    [TestCase("httpsRedirect: maybe\n", "node.yaml:1:1: httpsRedirect wants on or off, got 'maybe'")]
    [TestCase("nodeName: gpu1\ndomain: gpu1..example.com\n", "node.yaml:2:1: domain wants a host name")]
    public async Task Daemon_NodeYamlWithBadValue_RefusesToStartNamingTheKeyWhereItIsWritten(string yaml, string message)
    {
        var (exitCode, stderr) = await DaemonWithConfigAsync(yaml);

        Assert.That(exitCode, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain(message).And.Not.Contain("up: --").And.Not.Contain("daemon: --"));
    }

    private async Task<(int ExitCode, string Stderr)> DaemonWithConfigAsync(string yaml)
    {
        var config = Path.Combine(_scratch, "node.yaml");
        await File.WriteAllTextAsync(config, yaml);
        var start = new ProcessStartInfo(GradientNodeProcess.BinaryPath()) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])["daemon", "--config", config, "--specs-dir", _scratch, "--state-dir", _scratch, "--run-dir", _scratch])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the daemon started with this node.yaml instead of refusing it:\n{yaml}");
        }

        return (process.ExitCode, await stderr);
    }
}
