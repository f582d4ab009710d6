using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>apply --wait</c> while an image pulls: the pull goes through <see cref="GatedRegistryProxy"/>, which holds the
/// new layer halfway until the test has read the progress line, so the pull is observable without timing.
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
