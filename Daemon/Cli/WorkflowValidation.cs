using GradientNode.Core.Gpus;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>validate</c> for a workflow file (one with a top-level <c>jobs</c>): errors to stderr as
/// <c>file:line:col: message</c>; on success one ok line, then each field accepted but not acted on, and to stderr a
/// warning for each <c>secret:ephemeral:</c> reference (<see cref="EphemeralSecretWarnings"/>) and for each job whose
/// instance type the built-in table lacks. Such a type is not an error here, as for a deployment's machine type
/// (<see cref="MachineTypeWarnings"/>): node.yaml's <c>machineTypes</c> may add it, and the daemon, which knows them,
/// runs the file; before, <c>validate</c> refused a workflow that the node ran.
/// </summary>
internal static class WorkflowValidation
{
    /// <summary>True when the file is a valid workflow.</summary>
    public static bool Print(string file, string text, TextWriter output, TextWriter error)
    {
        var added = InstanceTypes(text).Where(n => MachineTypeTable.BuiltIn.Find(n) is null).ToList();
        var table = added.Count == 0 ? MachineTypeTable.BuiltIn
            : new MachineTypeTable(MachineTypeTable.BuiltIn.All.Concat(added.Select(n => new MachineType(n, 0, null, 1, 1L << 30))));
        var result = WorkflowParser.Parse(file, text, table);
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }

        if (!result.IsValid)
        {
            return false;
        }

        var spec = result.Spec!;
        var inputs = spec.Inputs.Count == 0 ? string.Empty : $", {spec.Inputs.Count} input(s)";
        output.WriteLine($"{file}: ok (workflow, {spec.Jobs.Count} job(s){(spec.Jobs.Count == 0 ? string.Empty : ": ")}{string.Join(", ", spec.Jobs.Select(j => j.Id))}{inputs})");
        foreach (var note in spec.NotActedOn)
        {
            output.WriteLine(note.Format(file));
        }

        var locator = WarningLocator.Read(file, text);
        foreach (var warning in EphemeralSecretWarnings.Of(spec))
        {
            error.WriteLine(locator.Locate(warning));
        }

        foreach (var job in spec.Jobs.Where(j => MachineTypeTable.BuiltIn.Find(j.Resources.InstanceType) is null))
        {
            var close = KeySuggester.Suggest(job.Resources.InstanceType, MachineTypeTable.BuiltIn.All.Select(t => t.Name));
            var hint = close is null ? string.Empty : $" (did you mean '{close}'?)";
            error.WriteLine(locator.Locate($"warning: jobs.{job.Id}: instance-type '{job.Resources.InstanceType}' is not a built-in machine type{hint}; "
                + "unless node.yaml's machineTypes adds it, the node refuses the run"));
        }

        return true;
    }

    /// <summary>The <c>instance-type</c> values written in <c>defaults.resources</c> and each job's <c>resources</c>; none when the YAML does not load.</summary>
    private static IEnumerable<string> InstanceTypes(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return [];
        }

        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
        {
            return [];
        }

        var blocks = new List<YamlNode?> { Child(Child(root, "defaults"), "resources") };
        if (Child(root, "jobs") is YamlMappingNode jobs)
        {
            blocks.AddRange(jobs.Children.Values.Select(job => Child(job, "resources")));
        }

        return blocks.Select(b => Child(b, "instance-type")).OfType<YamlScalarNode>().Select(v => v.Value)
            .OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
