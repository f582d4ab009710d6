using GradientNode.Core.Integrations;
using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>
/// Integrations and the legacy <c>models</c>/<c>repositories</c> as init containers that fetch into a volume each
/// (emptyDir, or a PVC when asked), mounted read-only into the app at the node's paths.
/// </summary>
internal sealed class FetchVolumes(ExportContext context, string slug)
{
    /// <summary>
    /// Clones <c>$GIT_URL</c> into <c>$TARGET</c> at <c>$GIT_REF</c>, as the node's checkout does: shallow for a branch or
    /// tag (a name the remote lists), else a full clone and a checkout, since <c>--branch</c> refuses a commit hash (and
    /// <c>ls-remote</c>'s pattern also matches <c>feature/REF</c>). The
    /// credentials come from the env through a helper, never the URL or the arguments.
    /// </summary>
    internal const string GitClone =
        "gc() { git -c credential.helper='!f() { echo username=$GIT_USERNAME; echo password=$GIT_PASSWORD; }; f' \"$@\"; }; " +
        "if [ -z \"$GIT_REF\" ]; then gc clone --depth 1 \"$GIT_URL\" \"$TARGET\"; " +
        "elif gc ls-remote --exit-code \"$GIT_URL\" \"$GIT_REF\" > /dev/null && gc clone --depth 1 --branch \"$GIT_REF\" \"$GIT_URL\" \"$TARGET\"; then :; " +
        "else gc clone --no-checkout \"$GIT_URL\" \"$TARGET\" && gc -C \"$TARGET\" checkout -q \"$GIT_REF\"; fi";

    private readonly UniqueNames _volumes = new();
    private readonly UniqueNames _containers = new(slug);
    private readonly UniqueNames _claims = new();

    public List<V1Container> InitContainers { get; } = [];

    public List<V1Volume> Volumes { get; } = [];

    public List<V1VolumeMount> AppMounts { get; } = [];

    public void Add(DeploymentSpec spec)
    {
        for (var i = 0; i < spec.Integrations.Count; i++)
        {
            Integration($"integrations[{i}]", spec.Integrations[i]);
        }

        foreach (var model in spec.Models)
        {
            context.Warn($"models[{model.Id}]", "the Gradient model registry is not reachable from a cluster; fetch the model into an image or a volume yourself");
        }

        if (spec.Repositories is { } repos)
        {
            // On the node the clone is kept as a version of that dataset; a pod clones into a volume of its own.
            context.Warn("repositories.dataset", $"each pod clones the repositories into a volume of its own when it starts; the node keeps them as versions of dataset '{repos.Dataset}'");
            var mount = repos.MountPath?.TrimEnd('/') ?? $"{VolumePlanner.DefaultDatasetRoot}/{repos.Dataset}";
            var volume = NewVolume("repositories");
            foreach (var repo in repos.Repositories)
            {
                var target = $"{mount}/{repo.Name}";
                var env = GitEnv(repo.Url, repo.Ref, repo.Username, repo.Password, target);
                var container = new V1Container
                {
                    Name = _containers.Of($"fetch-repo-{repo.Name}"), Image = context.Options.GitImage,
                    Command = ["sh", "-c", GitClone], Env = env, VolumeMounts = [Mount(volume, mount, false)],
                };
                InitContainers.Add(KeptInClaim(container, volume, target, ClaimKey.Of("git", repo.Url, repo.Ref, repo.Username, repo.Password?.ToString())));
            }

            if (!context.Options.PersistentVolumes)
            {
                AppMounts.Add(Mount(volume, mount, true));
            }
        }
    }

    private void Integration(string field, IntegrationSpec integration)
    {
        var mount = VolumePlanner.MountPathOf(integration);
        switch (integration.Type)
        {
            case IntegrationType.GitLfs:
                Fetch(integration.Name, mount, context.Options.GitImage, ["sh", "-c", $"git lfs install || exit 1; {GitClone}"], GitEnv(integration.Url!, null, integration.AccessKeyId, integration.SecretAccessKey, mount),
                    ClaimKey.Of("git-lfs", integration.Url, integration.AccessKeyId, integration.SecretAccessKey?.ToString()));
                break;
            case IntegrationType.S3 or IntegrationType.Spaces:
                // The node's reading of url/endpoint (a spaces endpoint may name the bucket; url may lack s3://).
                var source = VolumePlanner.S3Of(integration, null);
                List<string> command = ["aws", "s3", "sync", $"s3://{source.Bucket}/{source.Prefix}", mount];
                if (source.Endpoint is { } endpoint)
                {
                    command.AddRange(["--endpoint-url", EndpointUrl(endpoint)]);
                }

                List<V1EnvVar> env = [];
                if (integration.AccessKeyId is { } keyId)
                {
                    env.Add(ExportContext.Literal("AWS_ACCESS_KEY_ID", keyId));
                }

                if (integration.SecretAccessKey is { } secret)
                {
                    env.Add(context.SecretEnv("AWS_SECRET_ACCESS_KEY", secret));
                }

                if (integration.Region is { } region)
                {
                    env.Add(ExportContext.Literal("AWS_DEFAULT_REGION", region));
                }

                Fetch(integration.Name, mount, context.Options.S3Image, command, env.Count == 0 ? null : env,
                    ClaimKey.Of("s3", source.Bucket, source.Prefix, source.Endpoint, integration.Region, integration.AccessKeyId, integration.SecretAccessKey?.ToString()));
                break;
            case IntegrationType.Volume:
                var volumeName = _volumes.Of($"volume-{integration.Name}");
                var claimName = _claims.Of(integration.Name);
                Volumes.Add(new V1Volume { Name = volumeName, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claimName } });
                AppMounts.Add(Mount(volumeName, mount, false));
                context.Warn(field, $"a node volume has no cluster equivalent; mounted the PersistentVolumeClaim '{claimName}', which must exist");
                break;
            default:
                context.Warn(field, $"integration type model ('{integration.Id ?? integration.Name}'): the Gradient model registry is not reachable from a cluster");
                break;
        }
    }

    /// <summary>
    /// The endpoint as <c>aws --endpoint-url</c> takes it: the node reads a bare <c>HOST[:PORT][/PATH]</c> as https
    /// (<c>S3Fetcher</c>), while the aws CLI refuses a value without a scheme ("scheme is missing").
    /// </summary>
    internal static string EndpointUrl(string endpoint) =>
        endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;

    private static V1VolumeMount Mount(string volume, string path, bool readOnly) => new() { Name = volume, MountPath = path, ReadOnlyProperty = readOnly };

    private void Fetch(string name, string mount, string image, List<string> command, List<V1EnvVar>? env, string key)
    {
        var volume = NewVolume(name);
        var container = new V1Container
        {
            Name = _containers.Of($"fetch-{name}"), Image = image, Command = command, Env = env, VolumeMounts = [Mount(volume, mount, false)],
        };
        InitContainers.Add(KeptInClaim(container, volume, mount, key));
        if (!context.Options.PersistentVolumes)
        {
            AppMounts.Add(Mount(volume, mount, true));
        }
    }

    /// <summary>
    /// Under <c>--pvc</c>, as the node keeps a fetched source (docs/design/integrations.md, content keys): the claim holds
    /// one folder per source, named by <see cref="ClaimKey"/>, fetched once into <c>.partial-KEY-POD</c> and renamed into
    /// place when complete (<see cref="ClaimFetch.Script"/>); the app mounts that folder (<c>subPath</c>), so a later pod
    /// finds it and fetches nothing, and a changed source gets a folder of its own while running pods keep theirs.
    /// Without <c>--pvc</c> the container is returned as it is (an emptyDir, fetched by each pod).
    /// </summary>
    private V1Container KeptInClaim(V1Container fetch, string volume, string appPath, string key)
    {
        if (!context.Options.PersistentVolumes)
        {
            return fetch;
        }

        var partial = $"{ClaimFetch.Root}/.partial-{key}-$(POD_NAME)";
        List<V1EnvVar> env =
        [
            new() { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            ExportContext.Literal("KEPT", $"{ClaimFetch.Root}/{key}"),
            .. (fetch.Env ?? []).Select(e => e.Name == "TARGET" ? ExportContext.Literal("TARGET", partial) : e),
        ];
        if (env.All(e => e.Name != "TARGET"))
        {
            env.Add(ExportContext.Literal("TARGET", partial));
        }

        // A script reads $TARGET from the env; a command that names the mount path (aws s3 sync) gets Kubernetes' $(TARGET).
        List<string> command = [.. fetch.Command.Select(a => a == appPath ? "$(TARGET)" : a)];
        AppMounts.Add(new V1VolumeMount { Name = volume, MountPath = appPath, SubPath = key, ReadOnlyProperty = true });
        return new V1Container
        {
            Name = fetch.Name, Image = fetch.Image, Env = env,
            Command = ["sh", "-c", ClaimFetch.Script, "sh", .. command],
            VolumeMounts = [Mount(volume, ClaimFetch.Root, false)],
        };
    }

    private string NewVolume(string name)
    {
        var volume = _volumes.Of($"fetch-{name}");
        if (context.Options.PersistentVolumes)
        {
            var claim = _claims.Of($"{slug}-{name}");
            Volumes.Add(new V1Volume { Name = volume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } });
            var pvc = new V1PersistentVolumeClaim { ApiVersion = "v1", Kind = "PersistentVolumeClaim", Metadata = Names.Meta(context, claim), Spec = context.ClaimSpec("ReadWriteMany") };
            context.Add($"{claim}.pvc.yaml", pvc);
        }
        else
        {
            Volumes.Add(new V1Volume { Name = volume, EmptyDir = new V1EmptyDirVolumeSource() });
        }

        return volume;
    }

    private List<V1EnvVar> GitEnv(string url, string? gitRef, string? username, SecretRef? password, string target)
    {
        List<V1EnvVar> env = [ExportContext.Literal("GIT_URL", url), ExportContext.Literal("TARGET", target)];
        if (gitRef is not null)
        {
            env.Add(ExportContext.Literal("GIT_REF", gitRef));
        }

        if (username is not null)
        {
            env.Add(ExportContext.Literal("GIT_USERNAME", username));
        }

        if (password is not null)
        {
            env.Add(context.SecretEnv("GIT_PASSWORD", password));
        }

        return env;
    }
}
