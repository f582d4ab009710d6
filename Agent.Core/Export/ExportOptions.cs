using GradientNode.Core.Gpus;

namespace GradientNode.Core.Export;

/// <summary>What <c>gradient-node export</c> was asked for; defaults give a manifest that applies as it is.</summary>
public sealed record ExportOptions
{
    public const string DefaultDomain = "example.com";

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

    public MachineTypeTable MachineTypes { get; init; } = MachineTypeTable.BuiltIn;
}
