using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>Reads a job's <c>with</c> against its action's parameters (GRADIENT-SEMANTICS §9.2).</summary>
internal static class ActionReader
{
    private static readonly string[] ContainerKeys = WorkflowShapes.With[WorkflowAction.Container].Keys;
    private static readonly string[] ScriptKeys = WorkflowShapes.With[WorkflowAction.Script].Keys;
    private static readonly string[] GitKeys = WorkflowShapes.With[WorkflowAction.GitCheckout].Keys;
    private static readonly string[] S3Keys = WorkflowShapes.With[WorkflowAction.S3Download].Keys;
    private static readonly string[] ModelKeys = WorkflowShapes.With[WorkflowAction.CreateModel].Keys;

    /// <summary>
    /// A deployment's s3 integration spells its keys in camelCase, s3-download@v1 in kebab-case (GRADIENT-SEMANTICS §9.2): a
    /// key copied from one to the other is named as this action spells it. Before, <c>accessKeyId</c> was an unknown field
    /// with no hint and <c>access-key</c> was reported missing as well.
    /// </summary>
    private static readonly Dictionary<string, string> S3Spellings = new(StringComparer.Ordinal)
    {
        ["accessKeyId"] = "access-key",
        ["accessKey"] = "access-key",
        ["secretAccessKey"] = "secret-access-key",
    };

    public static WorkflowActionSpec? Read(SpecReader reader, WorkflowAction action, YamlMappingNode node, string field, IReadOnlyList<WorkflowJobOutputSpec> outputs)
    {
        var errors = reader.ErrorCount;
        WorkflowActionSpec? spec = action switch
        {
            WorkflowAction.Container => Container(new MappingReader(reader, node, field, ContainerKeys)),
            WorkflowAction.Script => Script(new MappingReader(reader, node, field, ScriptKeys)),
            WorkflowAction.GitCheckout => Git(new MappingReader(reader, node, field, GitKeys), outputs),
            WorkflowAction.S3Download => S3(new MappingReader(reader, node, field, S3Keys, spellings: S3Spellings), outputs),
            _ => Model(new MappingReader(reader, node, field, ModelKeys)),
        };
        return reader.ErrorCount == errors ? spec : null;
    }

    private static ContainerActionSpec? Container(MappingReader with)
    {
        var image = Image(with);
        var command = PlainValues.List(with, "command", single: true, arguments: true);
        var args = PlainValues.List(with, "args", arguments: true);
        return image is null ? null : new ContainerActionSpec(image, command, args ?? default);
    }

    private static ScriptActionSpec? Script(MappingReader with)
    {
        var image = Image(with);
        var script = PlainValues.String(with, "script", required: true);
        script = with.Value("script") is { } node ? PlainValues.Embedded(with.Reader, node, with.Field("script"), script, ExpressionLookalike.Use.Script) : script;
        return image is null || script is null ? null : new ScriptActionSpec(image, script);
    }

    private static GitCheckoutActionSpec? Git(MappingReader with, IReadOnlyList<WorkflowJobOutputSpec> outputs)
    {
        var url = PlainValues.String(with, "url", required: true);
        if (url is not null && url.StartsWith("context.", StringComparison.Ordinal))
        {
            with.Error("url", "context.* is filled only for GitHub-triggered runs, which this node does not run; write the repository URL");
            url = null;
        }
        else if (url is not null && GitRules.CheckUrl(url) is { } problem)
        {
            with.Error("url", problem);
            url = null;
        }

        var reference = PlainValues.String(with, "ref");
        if (reference is not null && GitRules.CheckRef(reference) is { } refProblem)
        {
            with.Error("ref", refProblem);
        }

        var username = with.StringOrSecret("username");
        var password = with.Secret("password");
        var path = ActionPathRule.Resolve(with, WorkflowActions.GitCheckout, outputs);
        return url is null || path is null ? null : new GitCheckoutActionSpec(url, reference, username, password, path);
    }

    private static S3DownloadActionSpec? S3(MappingReader with, IReadOnlyList<WorkflowJobOutputSpec> outputs)
    {
        var url = PlainValues.String(with, "url", required: true);
        if (url is not null && UrlRules.CheckBucketUrl(url, schemeRequired: true) is { } problem)
        {
            with.Error("url", problem);
        }

        var accessKey = with.Value("access-key") is null ? Missing<SpecValue>(with, "access-key") : with.StringOrSecret("access-key");
        var secretKey = with.Value("secret-access-key") is null ? Missing<SecretRef>(with, "secret-access-key") : with.Secret("secret-access-key");
        var region = PlainValues.String(with, "region");
        var endpoint = PlainValues.String(with, "endpoint");
        if (endpoint is not null && UrlRules.CheckEndpoint(endpoint) is { } endpointProblem)
        {
            with.Error("endpoint", endpointProblem);
        }

        var path = ActionPathRule.Resolve(with, WorkflowActions.S3Download, outputs);
        return url is null || accessKey is null || secretKey is null || path is null
            ? null
            : new S3DownloadActionSpec(url, accessKey, secretKey, region, endpoint, path);
    }

    private static CreateModelActionSpec? Model(MappingReader with)
    {
        var name = PlainValues.String(with, "name", required: true);
        var type = PlainValues.String(with, "type", required: true);
        var canonical = type is null ? null : CreateModelActionSpec.ModelTypes.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
        if (type is not null && canonical is null)
        {
            with.Error("type", $"must be {string.Join(", ", CreateModelActionSpec.ModelTypes)}, got '{ValueReader.Shorten(type)}'");
        }

        return name is null || canonical is null ? null : new CreateModelActionSpec(name, canonical);
    }

    private static string? Image(MappingReader with)
    {
        var image = PlainValues.String(with, "image", required: true);
        if (image is not null && TextRules.Unsafe(image) is { } problem)
        {
            with.Error("image", problem);
            return null;
        }

        // The deployment parser's rule: a reference the engine cannot parse (gradient-test/bash:1:latest) is an error at
        // its line, not a job that fails when the run reaches it. Before, a workflow took it.
        if (image is not null && ImageRule.Check(image) is { } bad)
        {
            with.Error("image", bad);
            return null;
        }

        return image;
    }

    private static T? Missing<T>(MappingReader with, string key)
        where T : class
    {
        with.Missing(key);
        return null;
    }
}
