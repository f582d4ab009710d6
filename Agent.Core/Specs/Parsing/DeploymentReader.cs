using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>Reads the top-level mapping of either dialect into a <see cref="DeploymentSpec"/>.</summary>
internal static class DeploymentReader
{
    private const string V1Only = "it belongs to apiVersion v1";
    private const string LegacyOnlyHint = "it belongs to the legacy apiVersion v0alpha0";
    private const int DefaultLegacyPort = 80;

    private static readonly string[] CurrentKeys = SpecShapes.Current.Keys;

    private static readonly string[] LegacyKeys = SpecShapes.Legacy.Keys;

    private static readonly Dictionary<string, string> CurrentOnly = new()
    {
        ["basicAuthKey"] = V1Only,
        ["region"] = V1Only,
        ["integrations"] = V1Only,
        ["healthchecks"] = $"{V1Only}; legacy specs write healthChecks",
    };

    private static readonly Dictionary<string, string> LegacyOnly = new()
    {
        ["port"] = $"{LegacyOnlyHint}; v1 uses resources.ports",
        ["models"] = $"{LegacyOnlyHint}; v1 uses integrations of type model",
        ["repositories"] = LegacyOnlyHint,
        ["instanceType"] = $"{LegacyOnlyHint}, in resources; v1 uses resources.machineType",
    };

    /// <summary>Keys of a v1 spec's blocks written at the top level, with the block they belong in.</summary>
    private static readonly Dictionary<string, string> CurrentParents = new()
    {
        ["machineType"] = "resources",
        ["ports"] = "resources",
        ["replicas"] = "resources",
        ["autoscaling"] = "resources",
        ["instanceType"] = "resources",
        ["liveness"] = "healthChecks",
        ["readiness"] = "healthChecks",
        ["startup"] = "healthChecks",
    };

    /// <summary>Keys of a legacy spec's blocks written at the top level (Gradient's flattened doc page, seed 002).</summary>
    private static readonly Dictionary<string, string> LegacyParents = new()
    {
        ["instanceType"] = "resources",
        ["replicas"] = "resources",
        ["autoscaling"] = "resources",
        ["machineType"] = "resources",
        ["ports"] = "resources",
        ["dataset"] = "repositories",
        ["mountPath"] = "repositories",
        ["liveness"] = "healthChecks",
        ["readiness"] = "healthChecks",
        ["startup"] = "healthChecks",
    };

    /// <summary>v1 keys written at a legacy spec's top level: the block they belong in, and the legacy spelling.</summary>
    private static readonly Dictionary<string, string> CurrentOnlyInLegacy = new(CurrentOnly)
    {
        ["machineType"] = $"{V1Only}, in resources; legacy specs use resources.instanceType",
        ["ports"] = $"{V1Only}, in resources; legacy specs use the top-level port",
    };

    /// <summary>What a missing top-level key's error offers to add (flow style: errors are one line each).</summary>
    private static readonly Dictionary<string, string> CurrentExamples = new(StringComparer.Ordinal)
    {
        ["name"] = "name: my-app",
        ["image"] = "image: nginx:1.27",
        ["resources"] = "resources: {replicas: 1, machineType: C4, ports: [8080]}",
    };

    private static readonly Dictionary<string, string> LegacyExamples = new(StringComparer.Ordinal)
    {
        ["image"] = "image: nginx:1.27",
        ["resources"] = "resources: {replicas: 1, instanceType: C4}",
    };

    public static DeploymentSpec? Read(SpecReader reader, YamlMappingNode root, string filePath)
    {
        var (dialect, apiVersion) = DialectDetector.Detect(reader, root);
        var legacy = dialect == SpecDialect.Legacy;
        var top = new MappingReader(
            reader,
            root,
            string.Empty,
            legacy ? LegacyKeys : CurrentKeys,
            legacy ? CurrentOnlyInLegacy : LegacyOnly,
            legacy ? LegacyParents : CurrentParents)
        {
            Examples = legacy ? LegacyExamples : CurrentExamples,
        };

        var name = ReadName(top, legacy, filePath);
        var image = ReadImage(top);
        var enabled = top.Bool("enabled") ?? true;
        var registry = top.String("containerRegistry");
        var command = ReadCommand(top);
        var env = top.Sequence("env") is { } envNode ? EnvReader.Read(reader, envNode, "env") : EquatableArray<EnvVarSpec>.Empty;
        var healthChecks = ReadHealthChecks(top);
        var port = legacy ? ReadLegacyPort(top) : DefaultLegacyPort;
        var resources = top.Mapping("resources", required: true) is { } resourcesNode
            ? ResourcesReader.Read(reader, resourcesNode, dialect, port)
            : null;

        var spec = new DeploymentSpec
        {
            Name = name ?? string.Empty,
            Slug = DeploymentName.ToSlug(name ?? string.Empty),
            ApiVersion = apiVersion,
            Dialect = dialect,
            Image = image ?? string.Empty,
            Enabled = enabled,
            ContainerRegistry = registry,
            Command = command,
            Env = env,
            HealthChecks = healthChecks,
            Resources = resources ?? new ResourcesSpec(string.Empty, EquatableArray<int>.Empty, 0, null),
            Protocol = ReadProtocol(top),
        };

        return legacy ? ReadLegacyParts(top, spec) : ReadCurrentParts(top, spec);
    }

    private static DeploymentSpec ReadCurrentParts(MappingReader top, DeploymentSpec spec) => spec with
    {
        BasicAuthKey = top.Secret("basicAuthKey"),
        Region = top.String("region"),
        Integrations = top.Sequence("integrations") is { } node
            ? IntegrationsReader.Read(top.Reader, node, "integrations")
            : EquatableArray<IntegrationSpec>.Empty,
    };

    private static DeploymentSpec ReadLegacyParts(MappingReader top, DeploymentSpec spec) => spec with
    {
        Models = top.Sequence("models") is { } models
            ? LegacyModelsReader.Read(top.Reader, models, "models")
            : EquatableArray<ModelSpec>.Empty,
        Repositories = top.Mapping("repositories") is { } repositories
            ? RepositoriesReader.Read(top.Reader, repositories, "repositories")
            : null,
    };

    private static string? ReadName(MappingReader top, bool legacy, string filePath)
    {
        var name = top.String("name", required: !legacy);
        if (name is null && legacy && top.Value("name") is null)
        {
            name = DeploymentName.FromFile(filePath);
        }

        if (name is not null && DeploymentName.Validate(name) is { } problem)
        {
            top.Reader.Error(top.Value("name") ?? top.Node, top.Value("name") is null
                ? $"name: the file name gives an invalid name: {problem}"
                : $"name: {problem}");
            return null;
        }

        return name?.Trim();
    }

    private static string? ReadImage(MappingReader top)
    {
        var image = top.String("image", required: true);
        if (image is not null && ImageRule.Check(image) is { } problem)
        {
            top.Error("image", problem);
        }

        return image;
    }

    private static EquatableArray<string>? ReadCommand(MappingReader top)
    {
        var command = top.StringList("command");
        if (command is { IsEmpty: true })
        {
            top.Error("command", "must not be empty (leave it out to use the image's entrypoint)");
            return null;
        }

        if (command?.Any(arg => arg.Contains('\0', StringComparison.Ordinal)) == true)
        {
            top.Error("command", "must not contain a NUL character (\\0): a process argument cannot hold one");
            return null;
        }

        return command;
    }

    private static HealthChecksSpec ReadHealthChecks(MappingReader top)
    {
        if (top.Has("healthChecks") && top.Has("healthchecks"))
        {
            top.Reader.Error(top.Key("healthchecks")!, "healthchecks: give either healthChecks or healthchecks, not both");
            return HealthChecksSpec.None;
        }

        var key = top.Has("healthchecks") ? "healthchecks" : "healthChecks";
        return top.Mapping(key) is { } node
            ? HealthChecksReader.Read(top.Reader, node, key) ?? HealthChecksSpec.None
            : HealthChecksSpec.None;
    }

    /// <summary>Our extension (docs/reference/spec.md): <c>http</c> (default) or <c>h2c</c>.</summary>
    private static ReplicaProtocol ReadProtocol(MappingReader top)
    {
        switch (top.String("protocol"))
        {
            case null or "http":
                return ReplicaProtocol.Http;
            case "h2c":
                return ReplicaProtocol.H2c;
            default:
                top.Error("protocol", "must be http or h2c (HTTP/2 without TLS to the replica, e.g. for gRPC)");
                return ReplicaProtocol.Http;
        }
    }

    private static int ReadLegacyPort(MappingReader top)
    {
        var port = top.Int("port") ?? DefaultLegacyPort;
        if (PortRule.Check(port) is { } problem)
        {
            top.Error("port", problem);
        }

        return port;
    }
}
