using System.Text.RegularExpressions;
using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>Collects one spec's objects, warnings and the secret commands while the mappers run.</summary>
internal sealed partial class ExportContext(ExportOptions options, string source)
{
    /// <summary>The one Secret holding the project's secrets, a key per secret name.</summary>
    public const string ProjectSecret = "gradient-secrets";

    /// <summary>The Secret holding <c>secret:ephemeral:KEY</c> values, apart, so KEY never reads a project secret of that name.</summary>
    public const string EphemeralSecret = "gradient-ephemeral-secrets";

    private readonly List<ExportDocument> _documents = [];
    private readonly List<string> _warnings = [];
    private readonly SortedSet<string> _projectKeys = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _ephemeralKeys = new(StringComparer.Ordinal);
    private readonly List<string> _commands = [];

    public ExportOptions Options { get; } = options;

    public string Source { get; } = source;

    public string NamespaceFlag => Options.Namespace is null ? string.Empty : $" -n {Options.Namespace}";

    /// <summary>A field that has no cluster equivalent: a warning and a comment, never a silent drop.</summary>
    public void Warn(string field, string reason) => _warnings.Add($"{field}: not exported: {reason}");

    /// <summary>Something exported that may behave differently on a cluster than on the node: a warning, nothing dropped.</summary>
    public void Note(string field, string text) => _warnings.Add($"{field}: {text}");

    public void Add(string fileName, object body) => _documents.Add(new ExportDocument(fileName, body, []));

    public void AddFirst(string fileName, object body) => _documents.Insert(0, new ExportDocument(fileName, body, []));

    /// <summary>
    /// The env var that reads <paramref name="secret"/> from the project Secret, or an ephemeral one from
    /// <see cref="EphemeralSecret"/> (noted: Gradient fills those in, a cluster needs them stored).
    /// </summary>
    public V1EnvVar SecretEnv(string name, SecretRef secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var store = ProjectSecret;
        if (secret.Ephemeral)
        {
            store = EphemeralSecret;
            if (_ephemeralKeys.Add(secret.Name))
            {
                Note(secret.ToString(), $"an ephemeral secret (Paperspace fills it in per run); read from key '{secret.Name}' of the Secret {EphemeralSecret}, which must hold it");
            }
        }
        else
        {
            _projectKeys.Add(secret.Name);
        }

        return new V1EnvVar { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = store, Key = secret.Name } } };
    }

    public static V1EnvVar Literal(string name, string value) => new() { Name = name, Value = value };

    /// <summary>An env var whose value the spec wrote, kept as written (<see cref="Verbatim"/>).</summary>
    public static V1EnvVar SpecLiteral(string name, string value) => Literal(name, Verbatim(value));

    /// <summary>
    /// A command, argument or env value the spec wrote, escaped so that Kubernetes passes it on as written: Kubernetes
    /// replaces <c>$(NAME)</c> in those fields with another env var's value and <c>$$</c> with <c>$</c>, which the node
    /// never does, so <c>sh -c 'echo $$'</c> printed <c>$</c> and an env value <c>$(TOKEN)</c> became the token.
    /// Each <c>$</c> before <c>(</c> or <c>$</c> is doubled; a lone <c>$VAR</c> (the shell's) is left as it is.
    /// </summary>
    public static string Verbatim(string value) => KubernetesReference().Replace(value, "$$$$");

    /// <inheritdoc cref="Verbatim(string)"/>
    public static List<string> Verbatim(IEnumerable<string> values) => [.. values.Select(Verbatim)];

    [GeneratedRegex(@"\$(?=[($])")]
    private static partial Regex KubernetesReference();

    public void Command(string command) => _commands.Add(command);

    /// <summary>The image pull Secret for <paramref name="registry"/>, and the command that creates it.</summary>
    public V1LocalObjectReference PullSecret(string registry)
    {
        var name = Names.RegistrySecret(registry);
        Command($"kubectl{NamespaceFlag} create secret docker-registry {name} --docker-server=<server of registry {registry}> --docker-username=<username> --docker-password=<password>");
        return new V1LocalObjectReference { Name = name };
    }

    /// <summary>A claim of the configured size and storage class (<c>--pvc-size</c>, <c>--storage-class</c>).</summary>
    public V1PersistentVolumeClaimSpec ClaimSpec(string accessMode) => new()
    {
        AccessModes = [accessMode],
        Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(Options.VolumeSize) } },
        StorageClassName = Options.StorageClass,
    };

    public ExportResult Result()
    {
        var commands = new List<string>();
        if (_projectKeys.Count > 0)
        {
            var literals = string.Join(' ', _projectKeys.Select(k => $"--from-literal={k}=<value of secret {k}>"));
            commands.Add($"kubectl{NamespaceFlag} create secret generic {ProjectSecret} {literals}");
        }

        if (_ephemeralKeys.Count > 0)
        {
            var literals = string.Join(' ', _ephemeralKeys.Select(k => $"--from-literal={k}=<value of secret:ephemeral:{k}>"));
            commands.Add($"kubectl{NamespaceFlag} create secret generic {EphemeralSecret} {literals}");
        }

        commands.AddRange(_commands);
        var comments = _warnings.Select(w => $"warning: {Source}: {w}").ToList();
        var documents = _documents.Select((d, i) => i == 0 ? d with { Comments = comments } : d).ToList();
        return new ExportResult(documents, comments, commands);
    }
}
