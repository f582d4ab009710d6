using System.Globalization;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>Turns a spec and a replica index into the Docker create request, labels included.</summary>
public static class ContainerRequestFactory
{
    public static ContainerCreateRequest Create(DeploymentSpec spec, string specHash, CreateReplica step, ReconcilerOptions options, SecretResolution? secrets = null, GpuLease? machine = null, IReadOnlyList<BindMount>? binds = null)
    {
        var labels = new Dictionary<string, string>(options.ExtraLabels)
        {
            [ContainerLabels.Deployment] = spec.Slug,
            [ContainerLabels.Replica] = step.Index.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.SpecHash] = specHash,
            [ContainerLabels.Node] = options.NodeName,
            [ContainerLabels.Name] = spec.Name,
            [ContainerLabels.Restarts] = step.Restarts.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.Crashes] = step.Crashes.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.Port] = spec.Resources.FirstPort.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.ProbesHash] = ProbesHasher.Compute(spec.HealthChecks),
        };
        if (step.LastExitCode is { } exitCode)
        {
            labels[ContainerLabels.LastExitCode] = exitCode.ToString(CultureInfo.InvariantCulture);
        }

        var env = new List<string>();
        foreach (var variable in spec.Env)
        {
            // Secret values come from the version's snapshot; the request goes to Docker only, never to a log.
            if (variable.Value.Literal is { } literal)
            {
                env.Add($"{variable.Name}={literal}");
            }
            else if (variable.Value.Secret is { } secret && secrets is not null && secrets.Values.TryGetValue(secret.Name, out var value))
            {
                env.Add($"{variable.Name}={value}");
            }
        }

        env.Add($"PAPERSPACE_DEPLOYMENT_ID={spec.Slug}");
        env.Add($"PAPERSPACE_REPLICA_ID={spec.Slug}-{step.Index}");

        var request = new ContainerCreateRequest
        {
            Name = ContainerName(spec.Slug, step.Index),
            Image = spec.Image,
            Entrypoint = spec.Command is { } command ? [.. command] : null,
            Cmd = spec.Command is null ? null : [],
            Env = env,
            Labels = labels,
            ExposedPorts = [.. spec.Resources.Ports],
            Binds = binds ?? [],
            PidsLimit = options.PidsLimit > 0 ? options.PidsLimit : null,
            Log = options.LogRotation,
        };

        // The machine type's GPUs (label, runtime or device request) and CPU/memory limits.
        return machine?.Apply(request) ?? request;
    }

    /// <summary><c>gradient-&lt;slug&gt;-&lt;index&gt;-&lt;short&gt;</c>.</summary>
    public static string ContainerName(string slug, int index) => $"gradient-{slug}-{index}-{SpecHasher.NewShortId()}";

    /// <summary>Reads an integer label, 0 when absent or malformed.</summary>
    public static int IntLabel(IReadOnlyDictionary<string, string> labels, string key) => NullableIntLabel(labels, key) ?? 0;

    public static int? NullableIntLabel(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
