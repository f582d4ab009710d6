using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary on a real engine: a job leaves a 512 GiB sparse file in its dataset output. While the node hashes
/// it, <c>workflows get</c> says how far; <c>workflows cancel</c> cuts the commit, the half-made version is removed (no
/// staging folder left, no version), the dataset's earlier version is untouched, and the job says what happened. Before,
/// the commit ran with no cancellation: the cancel waited minutes for the whole hash, and the version was committed.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowCommitEndToEndTests
{
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
    public async Task WorkflowsCancel_WhileAHugeSparseOutputIsCommitted_CommitCutNothingCommittedEarlierVersionKept()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var earlier = Path.Combine(_node.Root, "earlier");
        Directory.CreateDirectory(earlier);
        await File.WriteAllTextAsync(Path.Combine(earlier, "a.txt"), "kept");
        var created = await _node.CliAsync("datasets", "create", "disks");
        var uploaded = await _node.CliAsync("datasets", "upload", "disks", earlier);
        var spec = Path.Combine(_node.Root, "sparse.yaml");
        await File.WriteAllTextAsync(spec, """
            jobs:
              a:
                uses: script@v1
                with:
                  image: gradient-test/bash:1
                  script: |
                    truncate -s 549755813888 /outputs/out/disk.img
                outputs:
                  out:
                    type: dataset
                    with:
                      ref: disks
            """);

        var run = await _node.CliAsync("workflows", "run", "-f", spec);
        CliResult got = run;
        await TestTimeouts.WaitUntilAsync(
            async () => (got = await _node.CliAsync("workflows", "get", "sparse", "1")).Stdout.Contains("committing dataset output 'out': ", StringComparison.Ordinal),
            TestTimeouts.Container,
            () => "the job to say its output is being committed: " + got);
        var committing = got;
        var cancel = await _node.CliAsync("workflows", "cancel", "sparse", "1");
        await TestTimeouts.WaitUntilAsync(
            async () => (got = await _node.CliAsync("workflows", "get", "sparse", "1")).Stdout.Contains("Finished:", StringComparison.Ordinal),
            TestTimeouts.Container, // the whole hash takes minutes on one core
            () => "the run to end soon after the cancel: " + got);
        var versions = await _node.CliAsync("datasets", "versions", "disks");

        Assert.Multiple(() =>
        {
            Assert.That(created.ExitCode, Is.Zero, created.ToString());
            Assert.That(uploaded.ExitCode, Is.Zero, uploaded.ToString());
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(committing.Stdout, Does.Match(@"committing dataset output 'out': \d+ of 549755813888 bytes hashed \(\d+%\)"));
            Assert.That(cancel.ExitCode, Is.Zero, cancel.ToString());
            Assert.That(got.Stdout, Does.Contain("canceled while committing dataset output 'out': nothing of it was committed"));
            Assert.That(got.Stdout, Does.Match(@"(?m)^Phase:\s+CANCELED"));
            Assert.That(versions.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2), "the heading and the uploaded version alone: " + versions);
            Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_node.StateDir, "datasets", ".staging")), Is.Empty, "the half-made version is removed");
        });
    }
}
