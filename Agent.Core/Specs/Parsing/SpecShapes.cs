using static GradientNode.Core.Specs.Parsing.FieldType;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// The keys of every spec mapping, both dialects: the readers take their known keys from here (so an unknown key is
/// reported against this list), and <see cref="SpecSchema"/> writes the JSON Schema from it. A key added to the
/// parser is added here, and so reaches the schema; the types and bounds here are those the readers check.
/// </summary>
internal static class SpecShapes
{
    public const string SecretPattern =
        "^[Ss][Ee][Cc][Rr][Ee][Tt]:([Ee][Pp][Hh][Ee][Mm][Ee][Rr][Aa][Ll]:[A-Za-z0-9][A-Za-z0-9_-]{0,127}|[A-Za-z][A-Za-z0-9_.-]{0,127})$";

    /// <summary>An env value not wholly a <c>${{ }}</c> expression and holding no <c>${{ secrets.NAME }}</c> (<see cref="EnvReader"/>).</summary>
    public const string EnvValuePattern = @"^(?![ \t]*\$\{\{[^{}\r\n]*\}\}[ \t]*$)(?![\s\S]*\$\{\{[ \t]*secrets?\.[A-Za-z_][A-Za-z0-9_-]*[ \t]*\}\})";

    /// <summary>An env name without '=' or control characters (the schema's copy of the rule in <see cref="EnvReader"/>).</summary>
    public const string EnvNamePattern = @"^[^=\s\u0000-\u001f\u007f-\u009f]+$";

    /// <summary>An HTTP token (the schema's copy of <see cref="HeaderRules.CheckName"/>).</summary>
    public const string HeaderNamePattern = @"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    /// <summary>No control character but tab (the schema's copy of <see cref="HeaderRules.CheckValue"/>).</summary>
    public const string HeaderValuePattern = @"^[^\u0000-\u0008\u000a-\u001f\u007f-\u009f]*$";

    public static readonly ObjectShape Env = new("env", [
        new("name", Text, "Variable name, without '=' or whitespace", Required: true) { Pattern = EnvNamePattern },
        new("value", TextOrSecret, "Value, or secret:NAME (no ${{ }} expressions)") { Pattern = EnvValuePattern },
    ]);

    public static readonly ObjectShape Header = new("header", [
        new("name", Text, "Header name (an HTTP token)", Required: true) { Pattern = HeaderNamePattern },
        new("value", Text, "Header value, on one line", Required: true) { Pattern = HeaderValuePattern },
    ]);

    public static readonly ObjectShape ProbeExec = new("exec", [
        new("command", TextList, "Command run in the container; exit 0 passes", Required: true) { MinItems = 1 },
    ]);

    public static readonly ObjectShape Probe = new("probe", [
        new("path", Text, "HTTP path, starting with /") { Pattern = "^/" },
        new("port", Integer, "Port (default: the first app port)") { Minimum = 1, Maximum = 65535 },
        new("host", Text, "Host header"),
        new("headers", MappingList, "Extra request headers") { Of = Header },
        new("exec", Mapping, "Run a command instead of an HTTP GET") { Of = ProbeExec },
        new("initialDelaySeconds", Integer, "Seconds before the first check (0)") { Minimum = 0, Maximum = ProbeSpec.MaxSeconds },
        new("periodSeconds", Integer, "Seconds between checks (10)") { Minimum = 1, Maximum = ProbeSpec.MaxSeconds },
        new("timeoutSeconds", Integer, "Seconds a check may take (1)") { Minimum = 1, Maximum = ProbeSpec.MaxSeconds },
        new("failureThreshold", Integer, "Failures in a row that count (3)") { Minimum = 1 },
    ]);

    public static readonly ObjectShape HealthChecks = new("healthChecks", [
        new("liveness", Mapping, "Restart the replica when this fails") { Of = Probe },
        new("readiness", Mapping, "Take the replica out of rotation when this fails") { Of = Probe },
        new("startup", Mapping, "Hold the other probes until this passes") { Of = Probe },
    ]);

    public static readonly ObjectShape AutoscalingMetric = new("metric", [
        new("metric", Text, "What to scale on", Required: true) { Values = ["cpu", "memory", "requestDuration"] },
        new("summary", Text, "How samples are summarised") { Values = ["average"] },
        new("value", Number, "Target: percent for cpu and memory, seconds for requestDuration", Required: true) { Minimum = AutoscalingReader.MinRequestDuration },
    ]);

    public static readonly ObjectShape Autoscaling = new("autoscaling", [
        new("enabled", Flag, "Scale between replicas and maxReplicas (true)"),
        new("maxReplicas", Integer, "Most replicas", Required: true) { Minimum = 1, Maximum = ResourcesSpec.MaxReplicas },
        new("metrics", MappingList, "Metrics and their targets", Required: true) { Of = AutoscalingMetric },
    ]);

    public static readonly ObjectShape CurrentResources = new("resources", [
        new("machineType", Text, "Machine type: C4, A100, A100-80G, …", Required: true),
        new("ports", IntegerList, "App ports; the first serves the endpoint", Required: true) { MinItems = 1, Minimum = 1, Maximum = 65535 },
        new("replicas", Integer, "Replicas (1)") { Minimum = 0, Maximum = ResourcesSpec.MaxReplicas },
        new("autoscaling", Mapping, "Autoscaling") { Of = Autoscaling },
    ]);

    public static readonly ObjectShape LegacyResources = new("resources", [
        new("instanceType", Text, "Machine type: C4, A100, …", Required: true),
        new("replicas", Integer, "Replicas (1)") { Minimum = 0, Maximum = ResourcesSpec.MaxReplicas },
        new("autoscaling", Mapping, "Autoscaling") { Of = Autoscaling },
    ]);

    public static readonly IReadOnlyDictionary<string, ObjectShape> Integrations = new Dictionary<string, ObjectShape>(StringComparer.Ordinal)
    {
        ["git-lfs"] = Integration(
            "git-lfs",
            new("url", Text, "Repository URL", Required: true),
            Path(),
            new("accessKeyId", Text, "User name for a private repository (HTTPS basic auth; 'gradient' when only secretAccessKey is given)"),
            new("secretAccessKey", Secret, "secret:NAME of the password or access token (a Hugging Face token) of a private repository") { Pattern = SecretPattern }),
        ["s3"] = Integration(
            "s3",
            new("url", Text, "s3://bucket/prefix", Required: true),
            Path(),
            new("region", Text, "Region"),
            new("endpoint", Text, "S3 endpoint URL"),
            new("accessKeyId", Text, "Access key id"),
            new("secretAccessKey", Secret, "secret:NAME of the secret access key") { Pattern = SecretPattern }),
        ["spaces"] = Spaces("spaces"),
        ["do-spaces"] = Spaces("do-spaces"),
        ["model"] = Integration("model", new("id", Text, "Model id in the model store", Required: true) { Pattern = StoreNames.ModelIdPattern }, Path()),
        ["volume"] = Integration("volume"),
    };

    public static readonly ObjectShape LegacyModel = new("model", [
        new("id", Text, "Model id in the model store", Required: true) { Pattern = StoreNames.ModelIdPattern },
        new("path", Text, "Mount path (/opt/models)"),
    ]);

    public static readonly ObjectShape Repository = new("repository", [
        new("name", Text, "Folder name", Required: true),
        new("url", Text, "Git URL", Required: true),
        new("ref", Text, "Branch, tag or commit"),
        new("username", Text, "User name"),
        new("password", Secret, "secret:NAME of the password") { Pattern = SecretPattern },
    ]);

    public static readonly ObjectShape Repositories = new("repositories", [
        new("dataset", Text, "Dataset the repositories are cloned into", Required: true) { Pattern = StoreNames.DatasetNamePattern },
        new("mountPath", Text, "Mount path"),
        new("repositories", MappingList, "Repositories (none: nothing is cloned)") { Of = Repository },
    ]);

    public static readonly ObjectShape Current = new("Gradient deployment spec (apiVersion v1)", [
        new("$schema", Text, "JSON Schema of this file (ignored)"),
        new("apiVersion", Text, "Spec dialect (v1)") { Values = ["v1", "latest", "v0alpha1"] },
        new("name", Text, "Deployment name", Required: true),
        new("image", Text, "Container image", Required: true),
        new("enabled", Flag, "false stops every replica (true)"),
        new("containerRegistry", Text, "Name of a stored registry connection"),
        new("command", TextList, "Command (default: the image's entrypoint)") { MinItems = 1 },
        new("env", MappingList, "Environment variables") { Of = Env },
        new("basicAuthKey", Secret, "secret:NAME: the endpoint asks for basic auth") { Pattern = SecretPattern },
        new("region", Text, "Region (accepted, not acted on)"),
        new("integrations", MappingList, "Volumes: git-lfs, s3, spaces, model, volume") { OneOf = [.. Integrations.Values.DistinctBy(i => i.Title)], MaxItems = IntegrationsReader.MaxIntegrations },
        new("healthChecks", Mapping, "Probes") { Of = HealthChecks },
        new("healthchecks", Mapping, "Probes (alias of healthChecks)") { Of = HealthChecks },
        new("resources", Mapping, "Machine type, ports, replicas, autoscaling", Required: true) { Of = CurrentResources },
        new("protocol", Text, "Replica protocol: http (default) or h2c (HTTP/2 without TLS, e.g. gRPC)") { Values = ["http", "h2c"] },
    ]);

    public static readonly ObjectShape Legacy = new("Gradient deployment spec (legacy apiVersion v0alpha0)", [
        new("$schema", Text, "JSON Schema of this file (ignored)"),
        new("apiVersion", Text, "Spec dialect (v0alpha0)") { Values = ["v0alpha0"] },
        new("name", Text, "Deployment name (default: the file name)"),
        new("image", Text, "Container image", Required: true),
        new("enabled", Flag, "false stops every replica (true)"),
        new("containerRegistry", Text, "Name of a stored registry connection"),
        new("command", TextList, "Command (default: the image's entrypoint)") { MinItems = 1 },
        new("port", Integer, "App port (80)") { Minimum = 1, Maximum = 65535 },
        new("env", MappingList, "Environment variables") { Of = Env },
        new("models", MappingList, "Models from the model store") { Of = LegacyModel },
        new("repositories", Mapping, "Git repositories cloned into a dataset") { Of = Repositories },
        new("healthChecks", Mapping, "Probes") { Of = HealthChecks },
        new("resources", Mapping, "Instance type, replicas, autoscaling", Required: true) { Of = LegacyResources },
        new("protocol", Text, "Replica protocol: http (default) or h2c (HTTP/2 without TLS, e.g. gRPC)") { Values = ["http", "h2c"] },
    ]);

    private static FieldShape Path() => new("path", Text, "Mount path");

    private static ObjectShape Integration(string type, params FieldShape[] more) => new($"integration {type}", [
        new("type", Text, "Integration type", Required: true) { Values = [type] },
        new("name", Text, "Integration name", Required: true),
        .. more,
    ]);

    private static ObjectShape Spaces(string type) => Integration(
        type,
        new("endpoint", Text, "Spaces endpoint URL", Required: true),
        new("url", Text, "Bucket URL"),
        Path(),
        new("accessKeyId", Text, "Access key id"),
        new("secretAccessKey", Secret, "secret:NAME of the secret access key") { Pattern = SecretPattern });
}
