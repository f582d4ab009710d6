// A family of wire DTOs (STYLE 3): argoproj.io/v1alpha1 Workflow / WorkflowTemplate, only the fields the export writes.
namespace GradientNode.Core.Export;

public sealed record ArgoMeta
{
    public string? Name { get; init; }

    public string? GenerateName { get; init; }

    public string? Namespace { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }
}

public sealed record ArgoObject(string ApiVersion, string Kind, ArgoMeta Metadata, ArgoWorkflowSpec Spec);

public sealed record ArgoWorkflowSpec(string Entrypoint, List<ArgoTemplate> Templates)
{
    public int? ActiveDeadlineSeconds { get; init; }

    public ArgoArguments? Arguments { get; init; }

    public List<NameRef>? ImagePullSecrets { get; init; }

    public List<ArgoVolumeClaim>? VolumeClaimTemplates { get; init; }
}

public sealed record ArgoArguments(List<ArgoParameter> Parameters);

public sealed record ArgoParameter(string Name)
{
    public string? Value { get; init; }

    public ArgoValueFrom? ValueFrom { get; init; }
}

public sealed record ArgoValueFrom(string Path);

public sealed record ArgoVolumeClaim(ObjectMeta Metadata, PvcSpecDto Spec);

public sealed record ArgoTemplate(string Name)
{
    public ArgoDag? Dag { get; init; }

    public ArgoIo? Inputs { get; init; }

    public ArgoIo? Outputs { get; init; }

    public Container? Container { get; init; }

    public ArgoScript? Script { get; init; }

    public int? ActiveDeadlineSeconds { get; init; }

    public Dictionary<string, string>? NodeSelector { get; init; }

    public List<Toleration>? Tolerations { get; init; }
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
}

public sealed record ArgoS3Key(string Key);

public sealed record ArgoRaw(string Data);

/// <summary>A script template: a container plus its source.</summary>
public sealed record ArgoScript(string Image, List<string> Command, string Source)
{
    public List<EnvVar>? Env { get; init; }

    public ResourceRequirements? Resources { get; init; }

    public List<VolumeMount>? VolumeMounts { get; init; }
}
