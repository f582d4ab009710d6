using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using k8s.Models;

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
        var claims = new List<V1PersistentVolumeClaim>();
        var registries = new SortedSet<string>(StringComparer.Ordinal);
        var tasks = new List<ArgoTask>();
        var templates = new List<ArgoTemplate>();
        foreach (var input in spec.Inputs.Where(i => i.Kind == WorkflowValueKind.Volume))
        {
            claims.Add(Claim(context, $"input-{input.Name}"));
        }

        var jobNames = new JobNames(spec.Jobs.Select(j => j.Id));
        foreach (var job in spec.Jobs)
        {
            var mapper = new JobTemplate(context, spec, job, jobNames);
            templates.Add(mapper.Template());
            claims.AddRange(job.Outputs.Where(o => o.Kind == WorkflowValueKind.Volume).Select(o => Claim(context, $"{jobNames.Of(job.Id)}-{o.Name}")));
            registries.UnionWith(job.Resources.ContainerRegistries);
            tasks.Add(new ArgoTask(jobNames.Of(job.Id), jobNames.Of(job.Id))
            {
                Dependencies = job.Needs.IsEmpty ? null : [.. job.Needs.Select(jobNames.Of)],
                Arguments = mapper.TaskArguments(),
            });
        }

        foreach (var note in spec.NotActedOn)
        {
            // The node's reason for clusterId ("the node is its own cluster") is replaced by what it means on a cluster.
            context.Warn(note.Field, note.Field == "defaults.clusterId" && spec.Defaults.ClusterId is { } cluster
                ? $"'{cluster}' names a Gradient cluster; apply to the cluster you mean instead"
                : note.Reason);
        }

        RepositoryInputs(context, spec);
        SharedClaims.Warn(context, spec, jobNames, templates, claims);
        templates.Insert(0, new ArgoTemplate(Entrypoint) { Dag = new ArgoDag(tasks) });
        var parameters = spec.Inputs.Where(i => i.Kind == WorkflowValueKind.String)
            .Select(i => new ArgoParameter(Names.Of(i.Name)) { Value = i.Value }).ToList();
        foreach (var input in spec.Inputs.Where(i => i.Kind == WorkflowValueKind.String && i.Value is null))
        {
            // newuser14: a parameter without a value is exported as it is, and argo submit refuses the run without -p; said here.
            context.Note($"inputs.{input.Name}", $"has no default: Argo refuses to submit the run until it is given: argo submit FILE -p {Names.Of(input.Name)}=VALUE"
                + (input.Optional ? " (optional on the node, where the job then gets no such input; on the cluster -p with an empty value)" : string.Empty));
        }

        if (options.ServiceAccount is null)
        {
            // newuser15: Argo's executor (3.4 and later) writes a workflowtaskresult per step; the namespace's default
            // account has no role for it on a stock install, so the first step failed 'forbidden' without a word here.
            context.Note("serviceAccountName", "not set: the pods run as the namespace's default service account, which Argo's executor "
                + "needs a role for (create and patch workflowtaskresults.argoproj.io); name one that has it with --service-account NAME "
                + "(or argo submit --serviceaccount NAME)");
        }

        var workflow = new ArgoWorkflowSpec(Entrypoint, templates)
        {
            ServiceAccountName = options.ServiceAccount,
            ActiveDeadlineSeconds = spec.Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : null,
            Arguments = parameters.Count == 0 ? null : new ArgoArguments(parameters),
            ImagePullSecrets = registries.Count == 0 ? null : [.. registries.Select(context.PullSecret)],
            VolumeClaimTemplates = claims.Count == 0 ? null : claims,
        };

        var kind = options.Template ? "WorkflowTemplate" : "Workflow";
        var meta = options.Template
            ? new V1ObjectMeta { Name = workflowName, NamespaceProperty = options.Namespace, Labels = Names.Labels(workflowName) }
            : new V1ObjectMeta { GenerateName = $"{workflowName}-", NamespaceProperty = options.Namespace, Labels = Names.Labels(workflowName) };
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

    /// <summary>
    /// A dataset input that is not another task's output reads its version from the cluster's artifact repository
    /// (<see cref="DatasetKey"/>). On the node the reference resolves in the dataset store; on a cluster only an exported
    /// dataset output writes such a key (<c>datasets/NAME/{{workflow.uid}}</c> and <c>datasets/NAME/latest</c>, never a
    /// version's or a tag's), so the run would fail at its first task until that workflow ran or someone copies the version
    /// there: said once per reference, at the <c>with</c> that names it.
    /// </summary>
    private static void RepositoryInputs(ExportContext context, WorkflowSpec spec)
    {
        var used = spec.Jobs.SelectMany(j => j.Inputs).Where(i => i.Source.Kind == WorkflowInputSourceKind.WorkflowInput).Select(i => i.Source.Name).ToHashSet(StringComparer.Ordinal);
        var read = spec.Inputs.Where(i => i.Kind == WorkflowValueKind.Dataset && used.Contains(i.Name))
            .Select(i => (Field: i.DatasetRef is null ? $"inputs.{i.Name}" : $"inputs.{i.Name}.with", Reference: i.DatasetRef ?? i.Name));
        var inline = spec.Jobs.SelectMany(j => j.Inputs
            .Where(i => i.Kind == WorkflowValueKind.Dataset && i.Source.Kind == WorkflowInputSourceKind.Inline)
            .Select(i => (Field: $"jobs.{j.Id}.inputs.{i.Name}.with", Reference: i.Source.Inline?.DatasetRef ?? i.Name)));
        foreach (var (field, reference) in read.Concat(inline))
        {
            var key = DatasetKey(reference);
            var writers = reference.Contains(':', StringComparison.Ordinal)
                ? "an exported dataset output writes datasets/NAME/{{workflow.uid}} and datasets/NAME/latest, never a version's or a tag's key"
                : $"an exported workflow with a dataset output to {reference} writes it when its run succeeds (run that one first)";
            context.Note(field, $"reads the artifact key {key} from the cluster's artifact repository, which must hold it before the run: "
                + $"the node's dataset versions are not there, and {writers} "
                + $"(or copy the version's files there: gradient-node datasets download {reference} DIR, then aws s3 cp --recursive DIR s3://BUCKET/{key})");
        }
    }

    /// <summary>A volume claim template; Argo's schema wants the full object (apiVersion, kind) in the list.</summary>
    private static V1PersistentVolumeClaim Claim(ExportContext context, string name) => new()
    {
        ApiVersion = "v1", Kind = "PersistentVolumeClaim", Metadata = new V1ObjectMeta { Name = Names.Of(name) }, Spec = context.ClaimSpec("ReadWriteOnce"),
    };

    internal static V1EnvVar Env(ExportContext context, EnvVarSpec env) => env.Value.Secret is { } secret
        ? context.SecretEnv(env.Name, secret)
        : ExportContext.SpecLiteral(env.Name, env.Value.Literal ?? string.Empty);
}
