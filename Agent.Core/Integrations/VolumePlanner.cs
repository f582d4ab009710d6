using GradientNode.Core.Datasets;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Integrations;

/// <summary>Turns a spec's integrations, legacy models and repositories into volume requests (pure apart from store look-ups).</summary>
public static class VolumePlanner
{
    /// <summary>Where an integration without <c>path</c> appears (a model: <c>/opt/models/&lt;name&gt;</c>).</summary>
    public static string MountPathOf(IntegrationSpec integration)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return integration.MountPath ?? $"/opt/{integration.Name}";
    }

    public const string DefaultDatasetRoot = "/datasets";

    public static VolumePlan Plan(DeploymentSpec spec, SecretResolution secrets, VolumeStores stores)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(stores);
        var volumes = new List<VolumeRequest>();
        var problems = new List<string>();
        string? Secret(SecretRef? reference) => reference is not null && secrets.Values.TryGetValue(reference.Name, out var value) ? value : null;

        foreach (var integration in spec.Integrations)
        {
            var field = $"integrations[{integration.Name}]";
            var mount = MountPathOf(integration);
            switch (integration.Type)
            {
                case IntegrationType.GitLfs:
                    var git = new GitSource(integration.Url!, null, integration.AccessKeyId, Secret(integration.SecretAccessKey))
                    {
                        Fields = CredentialFields.Integration(integration.SecretAccessKey?.Name),
                    };
                    volumes.Add(Fetched(field, mount, git, stores));
                    break;
                case IntegrationType.S3 or IntegrationType.Spaces:
                    volumes.Add(Fetched(field, mount, S3Of(integration, Secret(integration.SecretAccessKey)), stores));
                    break;
                case IntegrationType.Model:
                    AddModel(field, integration.Id!, mount, stores, volumes, problems);
                    break;
                case IntegrationType.Volume:
                    volumes.Add(new VolumeRequest(field, VolumeKind.Named, mount, Path.Combine(stores.NamedDir, spec.Slug, integration.Name), $"named:{spec.Slug}/{integration.Name}", null));
                    break;
            }
        }

        foreach (var model in spec.Models)
        {
            var name = model.Id.Split(':')[0];
            AddModel($"models[{model.Id}]", model.Id, $"{model.Path.TrimEnd('/')}/{name}", stores, volumes, problems);
        }

        if (spec.Repositories is { } repos)
        {
            var field = $"repositories[{repos.Dataset}]";
            if (DatasetReference.CheckName(repos.Dataset) is { } bad)
            {
                problems.Add($"repositories.dataset: {bad}");
            }
            else
            {
                var set = new RepositorySetSource(new(repos.Repositories.Select(r => (r.Name, new GitSource(r.Url, r.Ref, r.Username, Secret(r.Password)) { Fields = RepositoryFields(r) }))));
                var key = VolumeKeys.For(set);
                var mount = repos.MountPath?.TrimEnd('/') ?? $"{DefaultDatasetRoot}/{repos.Dataset}";
                var version = DatasetVersionIds.FromKey(key);
                volumes.Add(new VolumeRequest(field, VolumeKind.Dataset, mount, stores.Datasets.ContentPathOf(repos.Dataset, version), key, set) { Dataset = (repos.Dataset, version) });
            }
        }

        CheckOverlaps(volumes, problems);
        return new VolumePlan(volumes, problems);
    }

    private static CredentialFields RepositoryFields(RepositorySpec repository) =>
        new($"repositories[{repository.Name}].username", $"repositories[{repository.Name}].password", null, repository.Password?.Name);

    private static VolumeRequest Fetched(string field, string mount, VolumeSource source, VolumeStores stores)
    {
        var key = VolumeKeys.For(source);
        return new VolumeRequest(field, VolumeKind.Fetched, mount, Path.Combine(stores.CacheDir, key), key, source);
    }

    /// <summary>The bucket, prefix and endpoint an s3/spaces integration names (also what the export syncs from).</summary>
    internal static S3Source S3Of(IntegrationSpec integration, string? secret)
    {
        var endpoint = integration.Endpoint;
        string bucket, prefix;
        if (integration.Url is { } url)
        {
            (bucket, prefix) = S3Source.ParseUrl(url);
        }
        else
        {
            // spaces without url: https://BUCKET.REGION.digitaloceanspaces.com names the bucket in the host.
            var uri = new Uri(endpoint!.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint);
            var dot = uri.Host.IndexOf('.', StringComparison.Ordinal);
            bucket = dot < 0 ? uri.Host : uri.Host[..dot];
            endpoint = dot < 0 ? endpoint : $"{uri.Scheme}://{uri.Host[(dot + 1)..]}";
            prefix = uri.AbsolutePath.Trim('/');
        }

        return new S3Source(bucket, prefix, integration.Region, endpoint, integration.AccessKeyId, secret)
        {
            Fields = CredentialFields.Integration(integration.SecretAccessKey?.Name),
        };
    }

    private static void AddModel(string field, string reference, string mount, VolumeStores stores, List<VolumeRequest> volumes, List<string> problems)
    {
        if (StoreNames.CheckModelId(reference) is { } bad)
        {
            // The parser refuses such ids already; a spec that reached here another way still mounts nothing.
            problems.Add($"{field}: {bad}");
        }
        else if (stores.Models.Resolve(reference) is { } path)
        {
            volumes.Add(new VolumeRequest(field, VolumeKind.Model, mount, path, "model:" + reference, null));
        }
        else if (reference.Split(':') is [var model, var version] && stores.Models.Get(model) is { Versions.Count: > 0 } entry)
        {
            // models add makes the next number, never this one: say which versions there are instead of "add it".
            problems.Add($"{field}: model '{reference}' is not in the node's model store: '{model}' has no version {version}, only "
                + $"{string.Join(", ", entry.Versions)} (use one of them, or id: {model} for the newest, {entry.Latest})");
        }
        else
        {
            var name = reference.Split(':')[0];
            problems.Add($"{field}: model '{reference}' is not in the node's model store (add it: gradient-node models add {name} --from DIR)");
        }
    }

    private static void CheckOverlaps(List<VolumeRequest> volumes, List<string> problems)
    {
        for (var i = 0; i < volumes.Count; i++)
        {
            for (var j = i + 1; j < volumes.Count; j++)
            {
                var (a, b) = (volumes[i].MountPath.TrimEnd('/') + "/", volumes[j].MountPath.TrimEnd('/') + "/");
                if (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal))
                {
                    problems.Add($"{volumes[j].Field}: mount path '{volumes[j].MountPath}' overlaps {volumes[i].Field} at '{volumes[i].MountPath}'");
                }
            }
        }
    }
}
