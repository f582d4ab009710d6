// A family of wire DTOs (STYLE 3): argoproj.io/v1alpha1 Workflow / WorkflowTemplate, only the fields the export writes.
// Argo's kinds are CRDs the KubernetesClient package has no model for; the core types inside them use k8s.Models.
using k8s.Models;

namespace GradientNode.Core.Export;

public sealed record ArgoObject(string ApiVersion, string Kind, V1ObjectMeta Metadata, ArgoWorkflowSpec Spec);

public sealed record ArgoWorkflowSpec(string Entrypoint, List<ArgoTemplate> Templates)
{
    public int? ActiveDeadlineSeconds { get; init; }

    public ArgoArguments? Arguments { get; init; }

    public List<V1LocalObjectReference>? ImagePullSecrets { get; init; }

    public string? ServiceAccountName { get; init; }

    public List<V1PersistentVolumeClaim>? VolumeClaimTemplates { get; init; }
}

public sealed record ArgoArguments(List<ArgoParameter> Parameters);

public sealed record ArgoParameter(string Name)
{
    public string? Value { get; init; }

    public ArgoValueFrom? ValueFrom { get; init; }
}

public sealed record ArgoValueFrom(string Path);

public sealed record ArgoTemplate(string Name)
{
    public ArgoDag? Dag { get; init; }

    public ArgoIo? Inputs { get; init; }

    public ArgoIo? Outputs { get; init; }

    public V1Container? Container { get; init; }

    public ArgoScript? Script { get; init; }

    public int? ActiveDeadlineSeconds { get; init; }

    public Dictionary<string, string>? NodeSelector { get; init; }

    public List<V1Toleration>? Tolerations { get; init; }

    public List<V1Volume>? Volumes { get; init; }
}

public sealed record ArgoDag(List<ArgoTask> Tasks);

public sealed record ArgoTask(string Name, string Template)
{
    public List<string>? Dependencies { get; init; }

    public ArgoIo? Arguments { get; init; }
}

public sealed record ArgoIo
{
    public List<ArgoParameter>? Parameters { get; init; }

    public List<ArgoArtifact>? Artifacts { get; init; }
}

public sealed record ArgoArtifact(string Name)
{
    public string? Path { get; init; }

    public string? From { get; init; }

    public ArgoS3Key? S3 { get; init; }

    public ArgoRaw? Raw { get; init; }

    public bool? Optional { get; init; }

    /// <summary><c>archive: {none: {}}</c> on a dataset output: stored as the folder's files, the layout an input reads.</summary>
    public ArgoArchive? Archive { get; init; }
}

public sealed record ArgoS3Key(string Key);

public sealed record ArgoArchive(ArgoNoArchive None);

/// <summary>Argo's <c>none: {}</c>: no tar.gz around an artifact's files.</summary>
public sealed record ArgoNoArchive;

public sealed record ArgoRaw(string Data);

/// <summary>A script template: a container (its schema requires a name) plus its source.</summary>
public sealed record ArgoScript(string Name, string Image, List<string> Command, string Source)
{
    public List<V1EnvVar>? Env { get; init; }

    public V1ResourceRequirements? Resources { get; init; }

    public List<V1VolumeMount>? VolumeMounts { get; init; }
}
