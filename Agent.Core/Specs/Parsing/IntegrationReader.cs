using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>One <c>integrations[]</c> entry, read against the keys of its <c>type</c>.</summary>
internal static class IntegrationReader
{
    private const string TypeList = "git-lfs, s3, spaces (or do-spaces), model, volume";

    private static readonly Dictionary<string, (IntegrationType Type, string[] Keys)> Types = new(StringComparer.Ordinal)
    {
        ["git-lfs"] = (IntegrationType.GitLfs, SpecShapes.Integrations["git-lfs"].Keys),
        ["s3"] = (IntegrationType.S3, SpecShapes.Integrations["s3"].Keys),
        ["spaces"] = (IntegrationType.Spaces, SpecShapes.Integrations["spaces"].Keys),
        ["do-spaces"] = (IntegrationType.Spaces, SpecShapes.Integrations["do-spaces"].Keys),
        ["model"] = (IntegrationType.Model, SpecShapes.Integrations["model"].Keys),
        ["volume"] = (IntegrationType.Volume, SpecShapes.Integrations["volume"].Keys),
    };

    public static IntegrationSpec? Read(SpecReader reader, YamlMappingNode mapping, string field)
    {
        var typeNode = mapping.Children.TryGetValue(new YamlScalarNode("type"), out var node) && !ValueReader.IsBlank(node) ? node : null;
        if (typeNode is null)
        {
            reader.Error(mapping, $"{field}: missing required field 'type'");
            return null;
        }

        var typeName = ValueReader.String(reader, typeNode, $"{field}.type");
        if (typeName is null)
        {
            return null;
        }

        if (!Types.TryGetValue(typeName, out var kind))
        {
            reader.Error(typeNode, $"{field}.type: unknown integration type '{ValueReader.Shorten(typeName)}'; expected one of {TypeList}");
            return null;
        }

        var item = new MappingReader(reader, mapping, field, kind.Keys);
        var errors = reader.ErrorCount;
        var name = item.String("name", required: true);
        var url = item.String("url", required: kind.Type is IntegrationType.GitLfs or IntegrationType.S3);
        var endpoint = item.String("endpoint", required: kind.Type == IntegrationType.Spaces);
        var id = item.String("id", required: kind.Type == IntegrationType.Model);
        if (name is not null && PathRules.CheckSegment(name) is { } badName)
        {
            item.Error("name", badName);
        }

        if (id is not null && StoreNames.CheckModelId(id) is { } badId)
        {
            item.Error("id", badId);
        }

        var path = item.String("path");
        if (path is not null && PathRules.Check(path) is { } problem)
        {
            item.Error("path", problem);
        }

        CheckUrl(item, kind.Type, url);
        CheckEndpoint(item, endpoint);
        var spec = new IntegrationSpec
        {
            Type = kind.Type,
            Name = name ?? string.Empty,
            Path = path,
            Url = url,
            Region = item.String("region"),
            Endpoint = endpoint,
            AccessKeyId = item.String("accessKeyId"),
            SecretAccessKey = item.Secret("secretAccessKey"),
            Id = id,
        };
        return reader.ErrorCount == errors ? spec : null;
    }

    private static void CheckUrl(MappingReader item, IntegrationType type, string? url)
    {
        var problem = url is null ? null : type switch
        {
            IntegrationType.S3 => UrlRules.CheckBucketUrl(url, schemeRequired: true),
            IntegrationType.Spaces => UrlRules.CheckBucketUrl(url, schemeRequired: false),
            IntegrationType.GitLfs => GitRules.CheckUrl(url, GitRules.IntegrationCredentials),
            _ => null,
        };
        if (problem is not null)
        {
            item.Error("url", problem);
        }
    }

    private static void CheckEndpoint(MappingReader item, string? endpoint)
    {
        if (endpoint is not null && UrlRules.CheckEndpoint(endpoint) is { } problem)
        {
            item.Error("endpoint", problem);
        }
    }
}
