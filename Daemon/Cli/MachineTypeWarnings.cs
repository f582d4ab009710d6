using GradientNode.Core.Gpus;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>validate</c>'s, <c>apply</c>'s and <c>diff</c>'s warning for a machine type the built-in table does not know. The
/// parser cannot refuse it (node.yaml's <c>machineTypes</c> may add types), so the file passes; but on a node without
/// that addition the deployment is Failed and starts nothing, which the author should learn before applying.
/// </summary>
internal static class MachineTypeWarnings
{
    public static IEnumerable<string> Of(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = spec.Resources.MachineType;
        if (MachineTypeTable.BuiltIn.Find(name) is not null)
        {
            yield break;
        }

        var field = spec.ApiVersion == "v0alpha0" ? "resources.instanceType" : "resources.machineType";
        var close = KeySuggester.Suggest(name, MachineTypeTable.BuiltIn.All.Select(t => t.Name));
        var hint = close is null ? string.Empty : $" (did you mean '{close}'?)";
        yield return $"warning: {field}: '{name}' is not a built-in machine type{hint}; unless node.yaml's machineTypes adds it, "
            + "the node starts no replica of this version (Failed, or Degraded while an older version keeps serving)";
    }
}
