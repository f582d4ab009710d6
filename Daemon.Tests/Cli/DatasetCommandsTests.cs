using GradientNode.Daemon.Cli;
using GradientNode.Tests.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>datasets rm</c> against the daemon's dataset endpoints in process (<see cref="DatasetApiHost"/>).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DatasetCommandsTests : DatasetApiTestBase
{
    [Test]
    public async Task RunAsync_RmOfAVersionTwoRunsHold_ExitsOneNamingBothRunsAndRemovesNothing()
    {
        var version = await Host.CommitAsync("src");
        Host.Store.ResolveAndHold("src", "workflow 'train' run 3");
        Host.Store.ResolveAndHold(version.Id, "workflow 'eval' run 1");
        var (code, output, error) = await RunAsync("rm", version.Id);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Is.Empty);
            Assert.That(error, Is.EqualTo(
                $"error: dataset version '{version.Id}' is held by workflow 'eval' run 1, workflow 'train' run 3, which resolved it and has not ended (a run keeps the versions it resolved until it ends); wait for the run to end or cancel it, nothing was removed\n"));
            Assert.That(Host.Store.Versions("src").Select(v => v.Id), Is.EqualTo(new[] { version.Id }));
        });
    }

    [Test]
    public async Task RunAsync_Versions_IdColumnHoldsTheVersionIdAloneAndJsonKeepsNameColonId()
    {
        var version = await Host.CommitAsync("src");

        var (code, output, error) = await RunAsync("versions", "src");
        var (jsonCode, json, _) = await RunAsync("versions", "src", "-o", "json");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(output, Does.Match($@"^ID +CREATED +SIZE +TAGS +MESSAGE\n{version.Version} +\d{{4}}-"), "before: src:{version} in the ID column");
            Assert.That(output, Does.Not.Contain(version.Id));
            Assert.That(jsonCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(json, Does.Contain($"\"id\":\"{version.Id}\"").Or.Contain($"\"id\": \"{version.Id}\""), "-o json unchanged: id is NAME:ID");
        });
    }

    [Test]
    public async Task RunAsync_VersionsWithALongMessageWithLineBreaks_OneLineCutTo100ColumnsAndJsonWhole()
    {
        var message = "first line\n" + string.Concat(Enumerable.Repeat("a long description ", 12));
        Host.Store.EnsureCreated("src", null);
        var write = Host.Store.BeginWrite("src", message);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "a.txt"), "a\n");
        await Host.Store.CommitAsync(write, CancellationToken.None);

        var (code, output, error) = await RunAsync("versions", "src");
        var (_, json, _) = await RunAsync("versions", "src", "-o", "json");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cell = lines[1][lines[1].IndexOf("first line", StringComparison.Ordinal)..];
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(lines, Has.Length.EqualTo(2), "one line per version: " + output);
            Assert.That(DisplayWidth.Of(cell), Is.EqualTo(MessageColumn.MaxWidth));
            Assert.That(cell, Does.StartWith("first line a long description").And.EndWith("…"));
            Assert.That(json, Does.Contain("a long description a long description a long description a long description a long description a long description a long description "), "whole in -o json");
        });
    }

    [Test]
    public async Task RunAsync_RmOnceTheHoldingRunEnded_RemovesTheVersion()
    {
        var version = await Host.CommitAsync("src");
        Host.Store.ResolveAndHold("src", "workflow 'train' run 3");
        Host.Store.Leases.Release("workflow 'train' run 3");

        var (code, _, error) = await RunAsync("rm", version.Id);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(Host.Store.Versions("src"), Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_GetDatasetAndVersionAsYaml_CreatedIsOneTimestampLikeTheJson()
    {
        // Before: YamlDotNet serialized the DateTimeOffset's properties (dateTime, day, dayOfWeek, ticks, ...).
        var version = await Host.CommitAsync("src");

        var (datasetCode, dataset, datasetError) = await RunAsync("get", "src", "-o", "yaml");
        var (versionCode, versionYaml, versionError) = await RunAsync("get", version.Id, "-o", "yaml");

        Assert.Multiple(() =>
        {
            Assert.That(datasetCode, Is.EqualTo(ExitCodes.Ok), datasetError);
            Assert.That(versionCode, Is.EqualTo(ExitCodes.Ok), versionError);
            foreach (var yaml in new[] { dataset, versionYaml })
            {
                Assert.That(yaml, Does.Match(@"(?m)^created: \S*\d{4}-\d\d-\d\dT[^\n]*$"));
                Assert.That(yaml, Does.Not.Contain("dayOfWeek").And.Not.Contain("ticks"));
            }

            Assert.That(versionYaml, Does.Contain($"id: {version.Id}"));
            Assert.That(dataset, Does.Contain("name: src"));
        });
    }

    [TestCase("ls")]
    [TestCase("versions", "src")]
    public void RunAsync_ListWithAnOutputFormatItLacks_UsageErrorBeforeTheDaemonIsAsked(params string[] words)
    {
        // Before: the daemon was asked first, so with none running the answer was exit 3 "cannot reach", not the usage error.
        using var nowhere = new ApiClient("/nonexistent/gradient.sock");
        var commands = new DatasetCommands(nowhere, TextWriter.Null, TextWriter.Null, null);

        Assert.That(
            async () => await commands.RunAsync(ParsedArgs.Parse([.. words, "-o", "xml"]), CancellationToken.None),
            Throws.TypeOf<UsageException>().With.Message.EqualTo("-o takes json, or text or wide for the table, not 'xml'"));
    }

    [Test]
    public async Task RunAsync_CreateOfANameThatDiffersOnlyByCase_CreatedWithAWarningNamingTheOther()
    {
        Host.Store.EnsureCreated("MyData", null);

        var (code, output, error) = await RunAsync("create", "mydata");
        var (_, _, quiet) = await RunAsync("create", "other");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), "names are case-sensitive (documented): two datasets");
            Assert.That(output, Is.EqualTo("dataset mydata created\n"));
            Assert.That(error, Is.EqualTo("warning: dataset 'MyData' exists too: its name differs from 'mydata' only by case, and they are two datasets (a reference must match the case exactly)\n"));
            Assert.That(quiet, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_UntagOfATag_RemovesItThroughTheEndpointAndAnUnknownOneExitsOne()
    {
        // Gradient's "datasets tags delete"; before, untag was an unknown sub-command and a tag could only be moved.
        var version = await Host.CommitAsync("model");
        Host.Store.Tag("model", version.Version, "best");

        var (code, output, error) = await RunAsync("untag", "model:best");
        var (again, _, missing) = await RunAsync("untag", "model:best");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(output, Is.EqualTo($"model:best removed (it pointed at {version.Id}, which stays)\n"));
            Assert.That(Host.Store.Versions("model").Single().Tags, Is.EqualTo(new[] { "latest" }));
            Assert.That(again, Is.EqualTo(ExitCodes.Failed));
            Assert.That(missing, Is.EqualTo("error: dataset 'model' has no tag 'best' (it has no tags)\n"));
        });
    }

    [Test]
    public async Task RunAsync_GcDryRun_ListsWhatAPassWouldRemoveWithWhyAndRemovesNothing()
    {
        // Before, gc had no dry run: a user about to reclaim disk could only remove first and read the report after.
        await Host.CommitAsync("corpus");
        await Host.CommitAsync("corpus");
        var (latest, old) = (Host.Store.Versions("corpus")[0], Host.Store.Versions("corpus")[1]); // newest first
        var leftover = Host.Store.BeginWrite("corpus", null);

        var (code, output, error) = await RunAsync("gc", "--dry-run");
        var versionsAfterDryRun = Host.Store.Versions("corpus").Count;
        var (_, json, _) = await RunAsync("gc", "--dry-run", "-o", "json");
        var (passCode, pass, _) = await RunAsync("gc");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(output, Does.StartWith("dry run, nothing was removed: a pass now would remove 1 dataset version, 0 staging folders, 0 unshared files, 0 integration-cache folders and free "));
            Assert.That(output, Does.Contain($"\n  version {old.Id} (2 bytes): not among the 1 newest versions of 'corpus' (--dataset-keep), no tag, no container mounts it and no workflow run holds it\n"));
            Assert.That(versionsAfterDryRun, Is.EqualTo(2), "the dry run removed nothing");
            Assert.That(json, Does.Contain("\"dryRun\": true").And.Contain("\"freedBytes\": ").And.Contain("\"kind\": \"version\""));
            Assert.That(passCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(pass, Does.StartWith("removed 1 dataset version, 0 staging folders, 0 unshared files, 0 integration-cache folders: "));
            Assert.That(Host.Store.Versions("corpus").Select(v => v.Id), Is.EqualTo(new[] { latest.Id }));
            Assert.That(Directory.Exists(leftover.ContentPath), Is.True, "a write this daemon has open is not a leftover");
        });
    }

    [Test]
    public async Task RunAsync_DownloadIntoAnEmptyFolderAnotherUserOwns_RefusedAndNothingWritten()
    {
        // Root downloads into a folder another user made (/tmp/out): that user could put a link where a folder of the
        // dataset is about to be made (sub -> /etc) and root would write the dataset's files through it. Before: written.
        if (Environment.UserName != "root")
        {
            Assert.Ignore("a folder of another user needs root to make");
        }

        var version = await Host.CommitAsync("src");
        var folder = Directory.CreateTempSubdirectory("gn-download-foreign-").FullName;
        try
        {
            using (var chown = System.Diagnostics.Process.Start("chown", ["nobody", folder]))
            {
                chown.WaitForExit();
            }

            var error = Assert.ThrowsAsync<UsageException>(() => RunAsync("download", version.Id, folder));

            Assert.That(error!.Message, Does.Contain($"{folder} is owned by uid 65534"));
            Assert.That(Directory.EnumerateFileSystemEntries(folder), Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_DownloadIntoAFolderEveryoneMayWrite_Refused()
    {
        var version = await Host.CommitAsync("src");
        var folder = Directory.CreateTempSubdirectory("gn-download-open-").FullName;
        try
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

            var error = Assert.ThrowsAsync<UsageException>(() => RunAsync("download", version.Id, folder));

            Assert.That(error!.Message, Does.Contain($"{folder} is writable by every user"));
            Assert.That(Directory.EnumerateFileSystemEntries(folder), Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_DownloadIntoANewFolder_Written()
    {
        var version = await Host.CommitAsync("src");
        var parent = Directory.CreateTempSubdirectory("gn-download-new-").FullName;
        try
        {
            var (code, _, error) = await RunAsync("download", version.Id, Path.Combine(parent, "out"));

            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(parent, "out")), Is.Not.Empty);
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await new DatasetCommands(Api, output, error, null).RunAsync(ParsedArgs.Parse(args), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
