using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary on a real engine: what a job leaves in a dataset output reaches <c>datasets download</c>, or the
/// job says why not. An output left empty commits a version that downloads as an empty folder; a file whose name has a
/// newline, or is not UTF-8, ends the job FAILED (what the job wrote) naming the file (no version a download could not carry), and <c>datasets gc</c>
/// still works after it.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed class WorkflowOutputNamesEndToEndTests
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
    public async Task WorkflowsRun_EmptyOutputThenBadNames_EmptyVersionDownloadsAndBadNamesEndTheJobNamingTheFile()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var empty = await WriteAsync("empty.yaml", Job("echo nothing written", "left-empty"));
        var newline = await WriteAsync("newline.yaml", Job("echo x > /outputs/out/new$'\\n'line.txt", "named"));
        var notUtf8 = await WriteAsync("notutf8.yaml", Job("echo x > /outputs/out/bin$'\\xff'.txt", "named"));

        var emptyRun = await _node.CliAsync("workflows", "run", "-f", empty, "--wait");
        var target = Path.Combine(_node.Root, "download");
        var download = await _node.CliAsync("datasets", "download", "left-empty", target);
        var newlineRun = await _node.CliAsync("workflows", "run", "-f", newline, "--wait");
        var notUtf8Run = await _node.CliAsync("workflows", "run", "-f", notUtf8, "--wait");
        var gc = await _node.CliAsync("datasets", "gc");
        var datasets = await _node.CliAsync("datasets", "ls");

        Assert.Multiple(() =>
        {
            Assert.That(emptyRun.ExitCode, Is.Zero, emptyRun.ToString());
            Assert.That(download.ExitCode, Is.Zero, download.ToString());
            Assert.That(download.Stdout, Does.Match(@"left-empty:[a-z0-9]{7} downloaded to .* \(0 bytes, 0 files\)"));
            Assert.That(Directory.EnumerateFileSystemEntries(target), Is.Empty);

            Assert.That(newlineRun.ExitCode, Is.EqualTo(1), newlineRun.ToString());
            Assert.That(newlineRun.Stdout, Does.Contain(
                "a: FAILED: dataset output 'out' could not be committed: 'new?line.txt' has a control character in its name (shown as ?, e.g. a newline), which no download could carry: rename it; nothing was committed"));
            Assert.That(notUtf8Run.ExitCode, Is.EqualTo(1), notUtf8Run.ToString());
            Assert.That(notUtf8Run.Stdout, Does.Contain("a: FAILED: dataset output 'out' could not be committed: 'bin\uFFFD.txt' has a name that is not UTF-8"));
            Assert.That(newlineRun.Stdout, Does.Match(@"(?m)^run 1: FAILED: "), "the job's doing: the run ends FAILED, not ERROR");
            Assert.That(notUtf8Run.Stdout, Does.Match(@"(?m)^run 1: FAILED: "));
            Assert.That(datasets.Stdout, Does.Not.Match(@"(?m)^named "), "the dataset the failed runs created got no version and is gone");

            Assert.That(gc.ExitCode, Is.Zero, gc.ToString());
            Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_node.StateDir, "datasets", ".staging")), Is.Empty, "the failed jobs' staging folders are gone");
        });
    }

    private static string Job(string script, string dataset) => $"""
        jobs:
          a:
            uses: script@v1
            with:
              image: gradient-test/bash:1
              script: |
                {script}
            outputs:
              out:
                type: dataset
                with:
                  ref: {dataset}
        """;

    private async Task<string> WriteAsync(string name, string yaml)
    {
        var path = Path.Combine(_node!.Root, name);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
