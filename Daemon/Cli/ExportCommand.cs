using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>export [NAME | -f FILE]... [--namespace NS] [--domain D] [-o DIR] [--template] [--pvc] [--node-selector K=V]
/// [--git-image IMAGE] [--s3-image IMAGE] [--pvc-size SIZE] [--storage-class NAME] [--ingress-namespace NS] [--service-account NAME]</c>: offline, like validate (same
/// errors, same exit codes; a bad option value is a usage error naming the flag). YAML to stdout or one file per object under DIR; warnings
/// and the <c>kubectl create secret</c> commands the cluster needs go to stderr.
/// </summary>
internal static class ExportCommand
{
    public static readonly string[] Flags = ["--template", "--pvc"];

    private static bool LooksLikeSpecFile(string name) =>
        (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) && File.Exists(name);

    public static int Run(ParsedArgs args, TextWriter output, TextWriter error)
    {
        string[] allowed = ["-f", "--filename", "--namespace", "-n", "--domain", "-o", "--output", "--node-selector", "--git-image", "--s3-image", "--pvc-size", "--storage-class", "--ingress-namespace", "--service-account", "--specs-dir", "--config", "--socket", "--run-dir", .. Flags];
        if (args.OptionNames.Concat(args.SetFlags).FirstOrDefault(n => !allowed.Contains(n)) is { } unknown)
        {
            throw new UsageException($"export does not take {unknown}");
        }

        var files = args.GetAll("-f", "--filename").ToList();
        var notFound = false;
        foreach (var name in args.Positionals)
        {
            // `export app.yaml`, as `validate app.yaml` takes it: a YAML file that exists is the file, not a NAME to look up.
            if (LooksLikeSpecFile(name))
            {
                files.Add(name);
                continue;
            }

            // An unknown NAME is a failed look-up (exit 1, as get and logs say it), not a usage error.
            var (found, specsDir) = FindByName(args, name);
            if (found is null)
            {
                // A name one typo from one the folder declares says which (as get, logs and scale do); else where to look.
                error.WriteLine(KeySuggester.Suggest(DeploymentName.ToSlug(name), DeclaredSlugs(specsDir)) is { } close
                    ? $"gradient-node export: no deployment '{name}' in {specsDir}; did you mean '{close}'?"
                    : $"gradient-node export: no deployment '{name}' in {specsDir}; pass -f FILE, or --specs-dir DIR (or --config FILE) for the node's specs");
                notFound = true;
            }
            else
            {
                files.Add(found);
            }
        }

        if (notFound)
        {
            return ExitCodes.Failed;
        }

        if (files.Count == 0)
        {
            throw new UsageException("export needs NAME or -f FILE");
        }

        var options = new ExportOptions
        {
            Namespace = args.Get("--namespace", "-n"),
            Domain = args.Get("--domain") ?? ExportOptions.DefaultDomain,
            Template = args.Has("--template"),
            PersistentVolumes = args.Has("--pvc"),
            NodeSelector = NodeSelector(args.GetAll("--node-selector")),
            GitImage = args.Get("--git-image") ?? ExportOptions.DefaultGitImage,
            S3Image = args.Get("--s3-image") ?? ExportOptions.DefaultS3Image,
            VolumeSize = args.Get("--pvc-size") ?? ExportOptions.DefaultVolumeSize,
            StorageClass = args.Get("--storage-class"),
            IngressNamespace = args.Get("--ingress-namespace") ?? ExportOptions.DefaultIngressNamespace,
            ServiceAccount = args.Get("--service-account"),
        };
        if (ExportOptionChecks.Problems(options) is { Count: > 0 } problems)
        {
            throw new UsageException(string.Join(Environment.NewLine, problems));
        }

        var directory = args.Get("-o", "--output");
        if (directory is not null && File.Exists(directory))
        {
            throw new UsageException($"-o {directory}: a file, not a folder (-o names the folder the manifests are written to)");
        }

        var results = new List<ExportResult>();
        var warnings = new List<string>();
        var failed = false;
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (Export(file, options, error, out var text) is { } result)
            {
                results.Add(result);
                warnings.AddRange(Located(file, text, result.Warnings));
                failed |= !Claim(owners, file, result, directory is not null, error);
            }
            else
            {
                failed = true;
            }
        }

        if (failed)
        {
            return ExitCodes.Failed;
        }

        if (directory is not null && OwnFolder.Make(directory) is { } unsafeFolder)
        {
            error.WriteLine($"gradient-node export: -o {unsafeFolder}; nothing was written");
            return ExitCodes.Failed;
        }

        Write(results, directory, output);
        foreach (var warning in warnings)
        {
            error.WriteLine($"gradient-node export: {warning}");
        }

        var commands = results.SelectMany(r => r.SecretCommands).Distinct().ToList();
        if (commands.Count > 0)
        {
            error.WriteLine("# the cluster needs these Secrets; the export holds no secret value (fill in each <...>):");
            commands.ForEach(error.WriteLine);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The export's warnings (<c>warning: FILE: FIELD: …</c>) headed <c>file:line:col</c> at their field, as validate's are
    /// (<see cref="WarningLocator"/>); before, they named the file and field but no line.
    /// </summary>
    private static IEnumerable<string> Located(string file, string text, IReadOnlyList<string> warnings)
    {
        var locator = WarningLocator.Read(file, text);
        var prefix = $"warning: {file}: ";
        return warnings.Select(w => w.StartsWith(prefix, StringComparison.Ordinal) ? locator.Locate("warning: " + w[prefix.Length..]) : w);
    }

    private static ExportResult? Export(string file, ExportOptions options, TextWriter error, out string text)
    {
        text = string.Empty;
        if (!ClientCommands.IsFile(file))
        {
            error.WriteLine(ClientCommands.NotAFile(file));
            return null;
        }

        text = BoundedText.Read(file, YamlGuard.MaxChars);
        if (WorkflowParser.LooksLikeWorkflow(text))
        {
            var workflow = WorkflowParser.Parse(file, text, options.MachineTypes);
            workflow.Errors.ToList().ForEach(e => error.WriteLine(e.ToString()));
            return workflow.IsValid ? WorkflowExporter.Export(workflow.Spec!, Path.GetFileNameWithoutExtension(file), file, options) : null;
        }

        var result = SpecParser.Parse(file, text);
        result.Errors.ToList().ForEach(e => error.WriteLine(e.ToString()));
        return result.IsValid ? DeploymentExporter.Export(result.Spec!, file, options) : null;
    }

    /// <summary>
    /// Two specs that export an object of the same kind and name (two files naming one deployment) would overwrite each
    /// other under <c>-o DIR</c> and on the cluster: an error naming both files, as the node reports such a conflict. A
    /// <c>generateName</c> Workflow on stdout is exempt (the cluster names each one).
    /// </summary>
    private static bool Claim(Dictionary<string, string> owners, string file, ExportResult result, bool toDirectory, TextWriter error)
    {
        foreach (var document in result.Documents)
        {
            if (!toDirectory && document.Body is ArgoObject { Metadata.Name: null })
            {
                continue;
            }

            if (!owners.TryAdd(document.FileName, file) && owners[document.FileName] != file)
            {
                error.WriteLine($"{file}: exports {document.FileName}, and so does {owners[document.FileName]}: two specs name the same object; export them apart");
                return false;
            }
        }

        return true;
    }

    private static void Write(List<ExportResult> results, string? directory, TextWriter output)
    {
        var documents = results.SelectMany(r => r.Documents).ToList();
        if (directory is null)
        {
            output.Write(ManifestWriter.Stream(documents));
            return;
        }

        foreach (var document in documents)
        {
            var path = Path.Combine(directory, document.FileName);
            File.WriteAllText(path, ManifestWriter.Document(document));
            output.WriteLine(path);
        }
    }

    /// <summary>The spec file in the node's specs dir whose stem is <paramref name="name"/> or whose spec has its slug (null when none), and that dir.</summary>
    private static (string? File, string SpecsDir) FindByName(ParsedArgs args, string name)
    {
        // Only the options that say where the specs are: the export's own (--namespace, --pvc, …) are not node settings.
        var node = NodeOptionsLoader.Load(args.Only("--specs-dir", "--config", "--domain"), Environment.GetEnvironmentVariable);
        var slug = DeploymentName.ToSlug(name);
        var match = Directory.Exists(node.SpecsDir)
            ? SpecFiles(node.SpecsDir).FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == name || Declares(f, slug))
            : null;
        return (match, node.SpecsDir);
    }

    /// <summary>
    /// Whether the file defines the deployment: its spec's slug, or for a file with errors the name the node lists it
    /// under (<see cref="SpecNameProbe"/>, as <c>ls</c> shows it Invalid). Before, such a file was passed over and the
    /// export said "no deployment 'NAME' in DIR" of a deployment that <c>ls</c> lists; now its errors are printed.
    /// </summary>
    private static bool Declares(string file, string slug) => SlugOf(file) == slug;

    /// <summary>The slug the node lists <paramref name="file"/> under, or null for a workflow file.</summary>
    private static string? SlugOf(string file)
    {
        var text = BoundedText.Read(file, YamlGuard.MaxChars);
        if (WorkflowParser.LooksLikeWorkflow(text))
        {
            return null;
        }

        var parsed = SpecParser.Parse(file, text);
        return parsed.Spec?.Slug ?? DeploymentName.ToSlug(SpecNameProbe.GuessName(file, text));
    }

    /// <summary>The slugs the spec files of <paramref name="specsDir"/> declare, in name order (none when it is missing).</summary>
    private static List<string> DeclaredSlugs(string specsDir) =>
        Directory.Exists(specsDir)
            ? [.. SpecFiles(specsDir).Select(SlugOf).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [];

    private static IEnumerable<string> SpecFiles(string specsDir) =>
        Directory.EnumerateFiles(specsDir).Order(StringComparer.Ordinal)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal));

    /// <summary><c>--node-selector K=V</c>, repeatable; a KEY given twice is a usage error (a pod has one value per key).</summary>
    internal static Dictionary<string, string> NodeSelector(IEnumerable<string> values)
    {
        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values.Select(Pair))
        {
            if (!selector.TryAdd(key, value))
            {
                throw new UsageException($"--node-selector: key '{key}' given twice");
            }
        }

        return selector;
    }

    private static KeyValuePair<string, string> Pair(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new(text[..equals], text[(equals + 1)..])
            : throw new UsageException($"--node-selector takes KEY=VALUE, got '{text}'");
    }
}
