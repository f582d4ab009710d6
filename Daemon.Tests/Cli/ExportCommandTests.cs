using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ExportCommandTests
{
    [Test]
    public void NodeSelector_KeyGivenTwice_UsageErrorNamingTheKey()
    {
        var error = Assert.Throws<UsageException>(() => ExportCommand.NodeSelector(["zone=a", "zone=b"]));

        Assert.That(error!.Message, Is.EqualTo("--node-selector: key 'zone' given twice"));
    }

    [Test]
    public void NodeSelector_DistinctKeys_EachPair()
    {
        var selector = ExportCommand.NodeSelector(["zone=a", "nvidia.com/gpu.product=A100=x"]);

        Assert.That(selector, Is.EqualTo(new Dictionary<string, string> { ["zone"] = "a", ["nvidia.com/gpu.product"] = "A100=x" }));
    }

    [Test]
    public void Run_NodeSelectorKeyTwice_UsageErrorBeforeAnyFileIsRead()
    {
        var args = ParsedArgs.Parse(["-f", "/nonexistent/spec.yaml", "--node-selector", "a=b", "--node-selector", "a=c"], ExportCommand.Flags);

        Assert.Throws<UsageException>(() => ExportCommand.Run(args, TextWriter.Null, TextWriter.Null));
    }

    [Test]
    public void Run_ByNameWithExportOptions_FindsTheSpecAndAppliesThem()
    {
        // Before: the lookup read every option as a node setting and refused `export web --namespace ml` as "unknown option".
        var root = Directory.CreateTempSubdirectory("gn-export-byname-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "web.yaml"), "name: web\nimage: nginx:1.27\nresources: {machineType: C4, ports: [80]}\n");
            var output = new StringWriter();

            var code = ExportCommand.Run(ParsedArgs.Parse(["web", "--specs-dir", root, "--namespace", "ml", "--pvc", "--node-selector", "zone=a"], ExportCommand.Flags), output, TextWriter.Null);

            Assert.That(code, Is.Zero);
            Assert.That(output.ToString(), Does.Contain("namespace: ml").And.Contain("zone: a"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Run_OutputIsAnExistingFile_UsageErrorSayingItIsNotAFolder()
    {
        var root = Directory.CreateTempSubdirectory("gn-export-ofile-").FullName;
        try
        {
            var spec = Path.Combine(root, "a.yaml");
            File.WriteAllText(spec, "name: app\nimage: nginx:1.27\nresources: {machineType: C4, ports: [80]}\n");
            var existing = Path.Combine(root, "notes.txt");
            File.WriteAllText(existing, "keep me");

            var error = Assert.Throws<UsageException>(() => ExportCommand.Run(ParsedArgs.Parse(["-f", spec, "-o", existing], ExportCommand.Flags), TextWriter.Null, TextWriter.Null));

            Assert.That(error!.Message, Is.EqualTo($"-o {existing}: a file, not a folder (-o names the folder the manifests are written to)"));
            Assert.That(File.ReadAllText(existing), Is.EqualTo("keep me"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Run_OutputFolderAnotherUserMadeWithALinkAtAManifestsName_RefusedAndTheLinksTargetUntouched()
    {
        // Root runs `export app -o /tmp/k8s`; another user made /tmp/k8s first, with app.deployment.yaml -> a root file.
        // Before: root wrote the manifest through the link, over the file it named.
        if (Environment.UserName != "root")
        {
            Assert.Ignore("a folder of another user needs root to make");
        }

        var root = Directory.CreateTempSubdirectory("gn-export-foreign-").FullName;
        try
        {
            var spec = Path.Combine(root, "a.yaml");
            File.WriteAllText(spec, "name: app\nimage: nginx:1.27\nresources: {machineType: C4, ports: [80]}\n");
            var victim = Path.Combine(root, "victim");
            File.WriteAllText(victim, "root's own\n");
            var folder = Directory.CreateDirectory(Path.Combine(root, "k8s")).FullName;
            File.CreateSymbolicLink(Path.Combine(folder, "app.deployment.yaml"), victim);
            Chown(folder);
            var error = new StringWriter();

            var code = ExportCommand.Run(ParsedArgs.Parse(["-f", spec, "-o", folder], ExportCommand.Flags), TextWriter.Null, error);

            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Does.Contain($"-o {folder} is owned by uid 65534").And.Contain("nothing was written"));
            Assert.That(File.ReadAllText(victim), Is.EqualTo("root's own\n"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Chown(string path)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-hR", "nobody", path]);
        chown.WaitForExit();
        Assert.That(chown.ExitCode, Is.Zero);
    }

    [Test]
    public void Run_NameOfASpecFileWithErrors_PrintsItsErrorsInsteadOfSayingThereIsNoSuchDeployment()
    {
        var root = Directory.CreateTempSubdirectory("gn-export-broken-").FullName;
        try
        {
            var config = Path.Combine(root, "node.yaml");
            File.WriteAllText(config, string.Empty);
            var specs = Path.Combine(root, "specs");
            Directory.CreateDirectory(specs);
            var file = Path.Combine(specs, "broken.yaml");
            File.WriteAllText(file, "apiVersion: v1\nname: broken-one\nimage: gradient-test/web:1\nresources:\n  machinetype: C4\n  ports: [8080]\n");
            var output = new StringWriter();
            var error = new StringWriter { NewLine = "\n" };

            var exit = ExportCommand.Run(ParsedArgs.Parse(["broken-one", "--specs-dir", specs, "--config", config], ExportCommand.Flags), output, error);

            // Before: "no deployment 'broken-one' in …", of a deployment that `ls` lists as Invalid.
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
                Assert.That(error.ToString(), Does.StartWith($"{file}:5:3: unknown field 'machinetype' in resources; did you mean 'machineType'?"));
                Assert.That(output.ToString(), Is.Empty);
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Run_NameOneTypoFromADeploymentInTheSpecsDir_SaysWhichOneItMeant()
    {
        // newuser12: get, logs, scale, rm and restart say "did you mean 'web'?" for `wbe`; export said only "no deployment".
        var root = Directory.CreateTempSubdirectory("gn-export-typo-").FullName;
        try
        {
            var config = Path.Combine(root, "node.yaml");
            File.WriteAllText(config, string.Empty);
            var specs = Path.Combine(root, "specs");
            Directory.CreateDirectory(specs);
            File.WriteAllText(Path.Combine(specs, "site.yaml"), "apiVersion: v1\nname: web\nimage: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n");
            var error = new StringWriter { NewLine = "\n" };

            var exit = ExportCommand.Run(ParsedArgs.Parse(["wbe", "--specs-dir", specs, "--config", config], ExportCommand.Flags), new StringWriter(), error);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
                Assert.That(error.ToString(), Is.EqualTo($"gradient-node export: no deployment 'wbe' in {specs}; did you mean 'web'?\n"));
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Run_NameNotInTheSpecsDir_FailsNamingTheDirAndTheFlagsThatPointElsewhere()
    {
        var root = Directory.CreateTempSubdirectory("gn-export-name-").FullName;
        try
        {
            var config = Path.Combine(root, "node.yaml");
            File.WriteAllText(config, string.Empty);
            var specs = Path.Combine(root, "specs");
            Directory.CreateDirectory(specs);
            var output = new StringWriter();
            var error = new StringWriter { NewLine = "\n" };

            var exit = ExportCommand.Run(ParsedArgs.Parse(["echo-app", "--specs-dir", specs, "--config", config], ExportCommand.Flags), output, error);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Failed), "an unknown deployment exits 1, as get and logs do");
                Assert.That(error.ToString(), Is.EqualTo($"gradient-node export: no deployment 'echo-app' in {specs}; pass -f FILE, or --specs-dir DIR (or --config FILE) for the node's specs\n"));
                Assert.That(output.ToString(), Is.Empty);
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Run_TwoFilesNamingOneDeployment_FailsNamingBothAndWritesNothing(bool toDirectory)
    {
        var root = Directory.CreateTempSubdirectory("gn-export-twice-").FullName;
        try
        {
            var (first, second) = (Path.Combine(root, "a.yaml"), Path.Combine(root, "b.yaml"));
            File.WriteAllText(first, "name: app\nimage: nginx:1.27\nresources: {machineType: C4, ports: [80]}\n");
            File.WriteAllText(second, "name: App\nimage: nginx:1.28\nresources: {machineType: C4, ports: [80]}\n");
            var outDir = Path.Combine(root, "out");
            string[] argv = toDirectory ? ["-f", first, "-f", second, "-o", outDir] : ["-f", first, "-f", second];
            var (output, error) = (new StringWriter(), new StringWriter());

            var code = ExportCommand.Run(ParsedArgs.Parse(argv, ExportCommand.Flags), output, error);

            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(ExitCodes.Failed));
                Assert.That(output.ToString(), Is.Empty);
                Assert.That(error.ToString(), Does.Contain($"{second}: exports app.deployment.yaml, and so does {first}"));
                Assert.That(Directory.Exists(outDir), Is.False);
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Run_TwoWorkflowFilesOfOneStemOnStdout_BothExported()
    {
        var root = Directory.CreateTempSubdirectory("gn-export-stem-").FullName;
        try
        {
            var (first, second) = (Path.Combine(root, "train.yaml"), Path.Combine(root, "b", "train.yaml"));
            Directory.CreateDirectory(Path.GetDirectoryName(second)!);
            File.WriteAllText(first, "jobs:\n  a:\n    uses: container@v1\n    with: {image: busybox}\n");
            File.Copy(first, second);
            var output = new StringWriter();

            var code = ExportCommand.Run(ParsedArgs.Parse(["-f", first, "-f", second], ExportCommand.Flags), output, TextWriter.Null);

            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output.ToString().Split("generateName: train-").Length, Is.EqualTo(3));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Run_SpecWithFieldsNotExported_EachWarningHeadedByItsLineAndColumn()
    {
        // Before: "gradient-node export: warning: app.yaml: region: not exported: …", the field but no line, unlike validate.
        var root = Directory.CreateTempSubdirectory("gn-export-lines-").FullName;
        try
        {
            var file = Path.Combine(root, "app.yaml");
            File.WriteAllText(file, "name: web\nimage: nginx:1.27\nregion: East Coast (NY2)\nintegrations:\n  - name: data\n    type: volume\nresources: {machineType: C4, ports: [80]}\n");
            var error = new StringWriter { NewLine = "\n" };

            var code = ExportCommand.Run(ParsedArgs.Parse(["-f", file], ExportCommand.Flags), TextWriter.Null, error);

            Assert.That(code, Is.Zero);
            Assert.That(error.ToString(), Does.Contain($"gradient-node export: {file}:3:9: warning: region: not exported: ")
                .And.Contain($"gradient-node export: {file}:5:5: warning: integrations[0]: not exported: "));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
