using GradientNode.Core.Gpus;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>validate</c>'s, <c>diff</c>'s and <c>apply</c>'s warnings for what a deployment spec names that the running node does
/// not hold: a secret (<c>basicAuthKey</c>, an <c>env</c> value, an integration's or repository's secret field), a
/// <c>containerRegistry</c> connection, or a model, missing or stored damaged; or GPUs: a GPU machine type on a node with
/// fewer GPUs than one replica needs (newuser14: before, <c>apply</c> said nothing and the deployment waited in
/// Progressing for good; only <c>diff</c> said so). Before, these were silent until the
/// deployment went Degraded after apply, while a workflow that names them is refused at submit. A deployment is warned,
/// not refused: a secret may be set after the spec (the specs folder takes such a file too), and the deployment starts
/// once it is. Each warning names the field and the exact name, a close stored name when there is one
/// (<see cref="UnknownName.DidYouMean"/>, which also finds the same letters in another case), and what will happen.
/// Names only: a secret's value is never read here. Ephemeral secrets are <see cref="EphemeralSecretWarnings"/>'s.
/// </summary>
internal static class DeploymentStoreWarnings
{
    /// <summary>What the endpoint does meanwhile (<c>RouteProtection</c>: fail closed, except a re-apply that only renamed the secret).</summary>
    private const string AuthConsequence =
        " (meanwhile its endpoint refuses every request, unless an earlier version was served with another secret's password, which it keeps)";

    public static IEnumerable<string> Of(DeploymentSpec spec, NodeStores stores)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(stores);
        var secrets = stores.Secrets.ToDictionary(s => s.Name, s => s.Damaged, StringComparer.Ordinal);
        foreach (var (field, secret) in SecretSnapshots.References(spec).Where(r => !r.Secret.Ephemeral))
        {
            if (Secret(field, secret.Name, secrets) is { } warning)
            {
                yield return warning;
            }
        }

        if (spec.ContainerRegistry is { } registry && Registry(registry, spec.Image, stores.Registries) is { } registryWarning)
        {
            yield return registryWarning;
        }

        var models = spec.Integrations.Where(i => i.Type == IntegrationType.Model && i.Id is not null).Select(i => ($"integrations[{i.Name}].id", i.Id!))
            .Concat(spec.Models.Select(m => ($"models[{m.Id}].id", m.Id)));
        foreach (var (field, id) in models)
        {
            if (Model(field, id, stores.Models) is { } warning)
            {
                yield return warning;
            }
        }

        if (Gpus(spec, stores) is { } gpuWarning)
        {
            yield return gpuWarning;
        }
    }

    /// <summary>
    /// A built-in GPU machine type that needs more GPUs per replica than the node has in all: no replica of it can ever
    /// start here, free GPUs or not. A custom type (node.yaml's <c>machineTypes</c>) is the node's own and not judged here.
    /// </summary>
    private static string? Gpus(DeploymentSpec spec, NodeStores stores)
    {
        if (stores.Gpus is not { } total || spec.IsDisabled || (spec.Resources.Replicas == 0 && spec.Resources.Autoscaling is not { Enabled: true })
            || MachineTypeTable.BuiltIn.Find(spec.Resources.MachineType) is not { HasGpus: true } type
            || total >= type.Gpus)
        {
            return null;
        }

        var field = spec.ApiVersion == "v0alpha0" ? "resources.instanceType" : "resources.machineType";
        var has = total == 0 ? "this node has no GPUs" + (stores.GpuNote is { Length: > 0 } note ? $" ({note})" : string.Empty)
            : total == 1 ? "this node has only 1" : $"this node has only {total}";
        var needs = type.Gpus == 1 ? "1 GPU" : $"{type.Gpus} GPUs";
        return $"warning: {field}: '{type.Name}' needs {needs} per replica and {has}; no replica of this version can start here "
            + "(its replicas wait for GPUs for good): name a machine type this node can run (gradient-node node lists its GPUs; C4 and C5 need none)";
    }

    private static string? Secret(string field, string name, Dictionary<string, string?> stored)
    {
        if (!stored.TryGetValue(name, out var damage))
        {
            var hint = UnknownName.DidYouMean(name, stored.Keys) is { } close ? $" ({close})" : string.Empty;
            return $"warning: {field}: secret '{name}' is not set on this node{hint}; this version starts no replica until: gradient-node secrets set {name}"
                + (field == "basicAuthKey" ? AuthConsequence : string.Empty);
        }

        return damage is null ? null
            : $"warning: {field}: {SecretStore.DamagedProblem(name, damage)}; this version starts no replica until then" + (field == "basicAuthKey" ? AuthConsequence : string.Empty);
    }

    private static string? Registry(string name, string image, IReadOnlyList<RegistryInfo> stored)
    {
        if (stored.FirstOrDefault(r => r.Name == name) is not { } found)
        {
            var hint = UnknownName.DidYouMean(name, stored.Select(r => r.Name)) is { } close ? $" ({close})" : string.Empty;
            return $"warning: containerRegistry: '{name}' is not a stored registry connection{hint}; this version starts no replica until: "
                + RegistryAddHint.For(name, image);
        }

        return found.Damaged is { } damage ? $"warning: containerRegistry: {RegistryStore.DamagedProblem(name, damage)}; this version starts no replica until then" : null;
    }

    private static string? Model(string field, string id, IReadOnlyList<Core.Integrations.StoreEntry> stored)
    {
        var colon = id.LastIndexOf(':');
        var (name, version) = colon < 0 ? (id, null) : (id[..colon], id[(colon + 1)..]);
        var entry = stored.FirstOrDefault(m => m.Name == name && m.Versions.Count > 0);
        if (entry is null)
        {
            var hint = UnknownName.DidYouMean(name, stored.Where(m => m.Versions.Count > 0).Select(m => m.Name)) is { } close ? $" ({close})" : string.Empty;
            return $"warning: {field}: model '{id}' is not in the node's model store{hint}; this version starts no replica until: gradient-node models add {name} --from DIR";
        }

        return version is null || entry.Versions.Contains(version) ? null
            : $"warning: {field}: model '{id}' is not in the node's model store: '{name}' has no version {version}, only {string.Join(", ", entry.Versions)} "
                + $"(use one of them, or id: {name} for the newest, {entry.Latest}); this version starts no replica until it names one";
    }
}
