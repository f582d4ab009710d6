using GradientNode.Core.Gpus;

namespace GradientNode.Core.Export;

/// <summary>What <c>gradient-node export</c> was asked for; defaults give a manifest that applies as it is.</summary>
public sealed record ExportOptions
{
    public const string DefaultDomain = "example.com";

    /// <summary>The image of the init containers and workflow steps that clone git (and git-lfs) repositories.</summary>
    public const string DefaultGitImage = "alpine/git:2.45.2";

    /// <summary>The image of the init containers and workflow steps that sync from S3 (and Spaces).</summary>
    public const string DefaultS3Image = "amazon/aws-cli:2.17.0";

    /// <summary>The size requested by every PersistentVolumeClaim the export writes (a Kubernetes quantity).</summary>
    public const string DefaultVolumeSize = "10Gi";

    /// <summary>The namespace of the ingress-nginx controller, the only pods a protected deployment's NetworkPolicy lets in.</summary>
    public const string DefaultIngressNamespace = "ingress-nginx";

    /// <summary>metadata.namespace of every object; null leaves it to kubectl's context.</summary>
    public string? Namespace { get; init; }

    /// <summary>The ingress host is <c>&lt;slug&gt;.&lt;domain&gt;</c>.</summary>
    public string Domain { get; init; } = DefaultDomain;

    /// <summary>A workflow becomes a WorkflowTemplate instead of a Workflow.</summary>
    public bool Template { get; init; }

    /// <summary>Fetched volumes are PersistentVolumeClaims instead of emptyDir.</summary>
    public bool PersistentVolumes { get; init; }

    /// <summary>The <c>nodeSelector</c> hook: added to every pod (e.g. a GPU product label).</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    public string GitImage { get; init; } = DefaultGitImage;

    public string S3Image { get; init; } = DefaultS3Image;

    /// <summary><c>resources.requests.storage</c> of each PersistentVolumeClaim (fetched volumes, workflow volumes).</summary>
    public string VolumeSize { get; init; } = DefaultVolumeSize;

    /// <summary><c>storageClassName</c> of each PersistentVolumeClaim; null leaves it to the cluster's default class.</summary>
    public string? StorageClass { get; init; }

    /// <summary>Where the ingress-nginx controller runs (<c>--ingress-namespace</c>): a protected deployment's pods admit only its pods.</summary>
    public string IngressNamespace { get; init; } = DefaultIngressNamespace;

    /// <summary>
    /// <c>spec.serviceAccountName</c> of an exported Argo Workflow (<c>--service-account</c>); null leaves it out, and the
    /// pods run as the namespace's <c>default</c> account, which Argo's executor (3.4 and later) needs a role for.
    /// </summary>
    public string? ServiceAccount { get; init; }

    public MachineTypeTable MachineTypes { get; init; } = MachineTypeTable.BuiltIn;
}
