using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>apply --wait</c> read line by line while it follows: an image pull (through <see cref="GatedRegistryProxy"/>, which
/// holds the new layer halfway until the test has read the progress line, so the pull is observable without timing),
/// and Ctrl-C.
/// </summary>
internal sealed partial class DeployToolTests
{
    private const int LayerBytes = 6_000_000;
    private const long HoldAfter = 1_500_000;

    [Test]
    public async Task ApplyWait_PullFromTheRegistryPiped_ShowsPullProgressLinesThenTheReplica()
    {
        var registry = TestRegistry.Require();
        var tag = "slow-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        using var push = new CancellationTokenSource(TestTimeouts.Container);
        var layer = await RegistryImagePusher.PushWithRandomLayerAsync(registry, tag, LayerBytes, push.Token);
        await using var proxy = await GatedRegistryProxy.StartAsync(registry.Address, layer, HoldAfter);
        var image = $"{proxy.Address}/{registry.PrivateImage[(registry.PrivateImage.IndexOf('/', StringComparison.Ordinal) + 1)..registry.PrivateImage.LastIndexOf(':')]}:{tag}";
        var added = await _node.CliWithInputAsync(registry.Password + "\n", "registries", "add", "gated", "--url", proxy.Address, "--username", registry.Username, "--password-stdin");
        Assert.That(added.ExitCode, Is.Zero, added.ToString());
        var file = await SpecAsync("pull.yaml", SpecYaml.V1("pull app", replicas: 1, image: image, top: "containerRegistry: gated"));
        var pullLine = new Regex(Stamp + $@"pull: {Regex.Escape(image)} (\d+)%, (\d+)/(\d+) layers$");

        var (process, lines) = StartCli("apply", "-f", file, "--wait", "--timeout", "3m");
        try
        {
            await TestTimeouts.WaitUntilAsync(
                () => Task.FromResult(proxy.Held.IsCompleted && Snapshot(lines).Any(l => pullLine.Match(l) is { Success: true } m && int.Parse(m.Groups[1].Value) < 100)),
                TestTimeouts.Rollout,
                "a pull progress line below 100% while the new layer is held");
            var held = Snapshot(lines).Last(l => pullLine.IsMatch(l));
            proxy.Release();
            using var timeout = new CancellationTokenSource(TestTimeouts.Rollout);
            await process.WaitForExitAsync(timeout.Token);

            var all = Snapshot(lines);
            var output = string.Join("\n", all);
            await TestContext.Out.WriteLineAsync(output);
            Assert.That(process.ExitCode, Is.Zero, output);
            var match = pullLine.Match(held);
            Assert.That(int.Parse(match.Groups[2].Value), Is.LessThan(int.Parse(match.Groups[3].Value)), $"a layer is still pulling: {held}");
            var heldAt = all.IndexOf(held);
            var replicaAt = all.FindIndex(heldAt + 1, l => Regex.IsMatch(l, Stamp + "replica 0: (creating|starting|probing|ready)"));
            Assert.Multiple(() =>
            {
                Assert.That(all.Skip(1), Has.All.Match(Stamp), "one timestamped line per change");
                Assert.That(replicaAt, Is.GreaterThan(heldAt), $"the replica after the pull\n{output}");
                Assert.That(all[^1], Does.Match(Stamp + "rolled out: deployment 'pull app' 1/1 replicas ready"));
            });
        }
        finally
        {
            proxy.Release();
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }

    [Test]
    public async Task ApplyWait_CtrlC_Exits130AndTheRolloutGoesOn()
    {
        var file = await SpecAsync("int.yaml", SpecYaml.V1("int app", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"sleep 3600\"]"));
        var (process, lines) = StartCli("apply", "-f", file, "--wait");
        try
        {
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(Snapshot(lines).Any(l => Regex.IsMatch(l, Stamp + "replica 0: "))), TestTimeouts.Rollout, "the replica line");

            GradientNodeProcess.SignalProcess(process.Id, 2);
            using var timeout = new CancellationTokenSource(TestTimeouts.Short);
            await process.WaitForExitAsync(timeout.Token);

            var all = Snapshot(lines);
            Assert.That(process.ExitCode, Is.EqualTo(130), string.Join("\n", all));
            Assert.That(all[^1], Does.Match(Stamp + @"stopped following; the rollout goes on \(gradient-node get int-app\)$"));
            Assert.That(File.Exists(_node.SpecPath("int-app.yaml")), "the spec stays applied");
            await _node.WaitForStatusAsync("int app", s => s.Replicas.Any(r => r.State == "running"), "the replica still running after Ctrl-C");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }

    [Test]
    public async Task ApplyWait_UnderAPseudoTerminalWithNoColor_PrintsPlainTimestampedLines()
    {
        var file = await SpecAsync("nocolor.yaml", SpecYaml.V1("plain app", replicas: 1));

        var (exitCode, written) = await UnderScriptAsync(file, noColor: true);

        // .NET's console switches a terminal's keypad to application mode (ESC [?1h ESC =) when it starts: not ours.
        var ours = written.Replace("\u001b[?1h\u001b=", string.Empty, StringComparison.Ordinal);
        Assert.That(exitCode, Is.Zero, written);
        Assert.That(ours, Does.Not.Contain("\u001b"), "NO_COLOR: no colours and no live block, also on a terminal");
        var lines = ours.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Skip(1), Has.All.Match(Stamp), written);
        Assert.That(lines[^1], Does.Match(Stamp + "rolled out: deployment 'plain app' 1/1 replicas ready"));
    }

    /// <summary><c>apply -f FILE --wait</c> with stdout a pseudo-terminal (under <c>script</c>); what it wrote, without carriage returns.</summary>
    private async Task<(int ExitCode, string Written)> UnderScriptAsync(string file, bool noColor)
    {
        var command = $"'{GradientNodeProcess.BinaryPath()}' --socket '{_node.Socket}' apply -f '{file}' --wait --timeout 2m";
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-qefc", command, "/dev/null"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm";
        start.Environment.Remove("NO_COLOR");
        if (noColor)
        {
            start.Environment["NO_COLOR"] = "1";
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    /// <summary>Starts a client verb with its stdout read line by line as it comes (stdout a pipe: the line view).</summary>
    private (Process Process, List<string> Lines) StartCli(params string[] args)
    {
        var start = new ProcessStartInfo(GradientNodeProcess.BinaryPath()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--socket", _node.Socket, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        var lines = new List<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (lines)
                {
                    lines.Add("stderr: " + line);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, lines);
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
