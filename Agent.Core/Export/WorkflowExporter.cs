using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Core.Export;

/// <summary>
/// A workflow spec as one Argo Workflow (or WorkflowTemplate): a DAG task per job, a template per job, string outputs
/// as parameters, volumes as volume claim templates, datasets as key-only artifacts in the cluster's artifact repository.
/// </summary>
public static class WorkflowExporter
{
    public const string ArgoApi = "argoproj.io/v1alpha1";
    public const string Entrypoint = "main";

    public static ExportResult Export(WorkflowSpec spec, string name, string source, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var context = new ExportContext(options, source);
        var workflowName = Names.Of(name);
        var claims = new List<ArgoVolumeClaim>();
        var registries = new SortedSet<string>(StringComparer.Ordinal);
        var tasks = new List<ArgoTask>();
        var templates = new List<ArgoTemplate>();
        foreach (var input in spec.Inputs.Where(i => i.Kind == WorkflowValueKind.Volume))
        {
            claims.Add(Claim(context, $"input-{input.Name}"));
        }

        foreach (var job in spec.Jobs)
        {
            var mapper = new JobTemplate(context, spec, job);
            templates.Add(mapper.Template());
            claims.AddRange(job.Outputs.Where(o => o.Kind == WorkflowValueKind.Volume).Select(o => Claim(context, $"{job.Id}-{o.Name}")));
            registries.UnionWith(job.Resources.ContainerRegistries);
            tasks.Add(new ArgoTask(Names.Of(job.Id), Names.Of(job.Id))
            {
                Dependencies = job.Needs.IsEmpty ? null : [.. job.Needs.Select(Names.Of)],
                Arguments = mapper.TaskArguments(),
            });
        }

        foreach (var note in spec.NotActedOn)
        {
            context.Warn(note.Field, note.Reason);
        }

        if (spec.Defaults.ClusterId is { } cluster)
        {
            context.Warn("defaults.clusterId", $"'{cluster}' names a Gradient cluster; apply to the cluster you mean instead");
        }

        templates.Insert(0, new ArgoTemplate(Entrypoint) { Dag = new ArgoDag(tasks) });
        var parameters = spec.Inputs.Where(i => i.Kind == WorkflowValueKind.String)
            .Select(i => new ArgoParameter(Names.Of(i.Name)) { Value = i.Value }).ToList();
        var workflow = new ArgoWorkflowSpec(Entrypoint, templates)
        {
            ActiveDeadlineSeconds = spec.Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : null,
            Arguments = parameters.Count == 0 ? null : new ArgoArguments(parameters),
            ImagePullSecrets = registries.Count == 0 ? null : [.. registries.Select(r => new NameRef(Names.Of($"registry-{r}")))],
            VolumeClaimTemplates = claims.Count == 0 ? null : claims,
        };
        foreach (var registry in registries)
        {
            context.Command($"kubectl{context.NamespaceFlag} create secret docker-registry {Names.Of($"registry-{registry}")} --docker-server=<server of registry {registry}> --docker-username=<username> --docker-password=<password>");
        }

        var kind = options.Template ? "WorkflowTemplate" : "Workflow";
        var meta = options.Template
            ? new ArgoMeta { Name = workflowName, Namespace = options.Namespace }
            : new ArgoMeta { GenerateName = $"{workflowName}-", Namespace = options.Namespace };
        context.AddFirst($"{workflowName}.{kind.ToLowerInvariant()}.yaml", new ArgoObject(ArgoApi, kind, meta, workflow));
        return context.Result();
    }

    /// <summary>The artifact key a dataset version lives under in the cluster's artifact repository.</summary>
    public static string DatasetKey(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? $"datasets/{reference}/latest" : $"datasets/{reference[..colon]}/{reference[(colon + 1)..]}";
    }

    private static ArgoVolumeClaim Claim(ExportContext context, string name) =>
        new(new ObjectMeta(Names.Of(name), null), new PvcSpecDto(["ReadWriteOnce"], new VolumeResources(new() { ["storage"] = FetchVolumes.PvcSize })));

    internal static EnvVar Env(ExportContext context, EnvVarSpec env) => env.Value.Secret is { } secret
        ? context.SecretEnv(env.Name, secret.Name)
        : new EnvVar(env.Name) { Value = env.Value.Literal ?? string.Empty };
}
