using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>Legacy <c>repositories: {dataset, mountPath?, repositories: [{name, url, ref?, username?, password?}]}</c>.</summary>
internal static class RepositoriesReader
{
    private static readonly string[] Keys = SpecShapes.Repositories.Keys;
    private static readonly string[] RepositoryKeys = SpecShapes.Repository.Keys;

    public static RepositoriesSpec? Read(SpecReader reader, YamlMappingNode node, string field)
    {
        var block = new MappingReader(reader, node, field, Keys);
        var errors = reader.ErrorCount;
        var dataset = block.String("dataset", required: true);
        if (dataset is not null && StoreNames.CheckDatasetName(dataset) is { } badDataset)
        {
            block.Error("dataset", badDataset);
        }

        var mountPath = block.String("mountPath");
        if (mountPath is not null && PathRules.Check(mountPath) is { } problem)
        {
            block.Error("mountPath", problem);
        }

        var repositories = new List<RepositorySpec>();
        if (block.Sequence("repositories") is { } sequence)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var listField = block.Field("repositories");
            repositories = ListReader.ReadMappings(reader, sequence, listField, RepositoryKeys, (item, _) =>
            {
                var itemErrors = reader.ErrorCount;
                var name = item.String("name", required: true);
                var url = item.String("url", required: true);
                var reference = item.String("ref");
                var username = item.String("username");
                var password = item.Secret("password");
                if (url is not null && GitRules.CheckUrl(url) is { } badUrl)
                {
                    item.Error("url", badUrl);
                }

                if (reference is not null && GitRules.CheckRef(reference) is { } badRef)
                {
                    item.Error("ref", badRef);
                }

                if (name is not null && PathRules.CheckSegment(name) is { } badName)
                {
                    item.Error("name", badName);
                }
                else if (name is not null && !seen.Add(name))
                {
                    item.Error("name", $"duplicate repository name '{name}'");
                }

                return name is null || url is null || reader.ErrorCount != itemErrors ? null : new RepositorySpec(name, url, reference, username, password);
            });
        }

        return dataset is null || reader.ErrorCount != errors ? null : new RepositoriesSpec(dataset, mountPath, new(repositories));
    }
}
