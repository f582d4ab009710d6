using GradientNode.Core.Integrations;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Export;

/// <summary>
/// Integrations and the legacy <c>models</c>/<c>repositories</c> as init containers that fetch into a volume each
/// (emptyDir, or a PVC when asked), mounted read-only into the app at the node's paths.
/// </summary>
internal sealed class FetchVolumes(ExportContext context, string slug)
{
    public const string GitImage = "alpine/git:2.45.2";
    public const string AwsImage = "amazon/aws-cli:2.17.0";
    public const string PvcSize = "10Gi";

    internal const string GitClone =
        "git -c credential.helper='!f() { echo username=$GIT_USERNAME; echo password=$GIT_PASSWORD; }; f' clone --depth 1 ${GIT_REF:+--branch $GIT_REF} \"$GIT_URL\" \"$TARGET\"";

    public List<Container> InitContainers { get; } = [];

    public List<Volume> Volumes { get; } = [];

    public List<VolumeMount> AppMounts { get; } = [];

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
            var mount = repos.MountPath?.TrimEnd('/') ?? $"{VolumePlanner.DefaultDatasetRoot}/{repos.Dataset}";
            var volume = NewVolume("repositories");
            foreach (var repo in repos.Repositories)
            {
                var env = GitEnv(repo.Url, repo.Ref, repo.Username, repo.Password, $"{mount}/{repo.Name}");
                InitContainers.Add(new Container(Names.Of($"fetch-repo-{repo.Name}"), GitImage)
                {
                    Command = ["sh", "-c", GitClone], Env = env, VolumeMounts = [new VolumeMount(volume, mount, false)],
                });
            }

            AppMounts.Add(new VolumeMount(volume, mount, true));
        }
    }

    private void Integration(string field, IntegrationSpec integration)
    {
        var mount = VolumePlanner.MountPathOf(integration);
        switch (integration.Type)
        {
            case IntegrationType.GitLfs:
                Fetch(integration.Name, mount, GitImage, ["sh", "-c", $"git lfs install && {GitClone}"], GitEnv(integration.Url!, null, null, null, mount));
                break;
            case IntegrationType.S3 or IntegrationType.Spaces:
                List<string> command = ["aws", "s3", "sync", integration.Url!, mount];
                if (integration.Endpoint is { } endpoint)
                {
                    command.AddRange(["--endpoint-url", endpoint]);
                }

                List<EnvVar> env = [];
                if (integration.AccessKeyId is { } keyId)
                {
                    env.Add(new EnvVar("AWS_ACCESS_KEY_ID") { Value = keyId });
                }

                if (integration.SecretAccessKey is { } secret)
                {
                    env.Add(context.SecretEnv("AWS_SECRET_ACCESS_KEY", secret.Name));
                }

                if (integration.Region is { } region)
                {
                    env.Add(new EnvVar("AWS_DEFAULT_REGION") { Value = region });
                }

                Fetch(integration.Name, mount, AwsImage, command, env.Count == 0 ? null : env);
                break;
            case IntegrationType.Volume:
                Volumes.Add(new Volume(Names.Of($"volume-{integration.Name}")) { PersistentVolumeClaim = new PvcSource(Names.Of(integration.Name)) });
                AppMounts.Add(new VolumeMount(Names.Of($"volume-{integration.Name}"), mount, false));
                context.Warn(field, $"a node volume has no cluster equivalent; mounted the PersistentVolumeClaim '{Names.Of(integration.Name)}', which must exist");
                break;
            default:
                context.Warn(field, $"integration type model ('{integration.Id ?? integration.Name}'): the Gradient model registry is not reachable from a cluster");
                break;
        }
    }

    private void Fetch(string name, string mount, string image, List<string> command, List<EnvVar>? env)
    {
        var volume = NewVolume(name);
        InitContainers.Add(new Container(Names.Of($"fetch-{name}"), image)
        {
            Command = command, Env = env, VolumeMounts = [new VolumeMount(volume, mount, false)],
        });
        AppMounts.Add(new VolumeMount(volume, mount, true));
    }

    private string NewVolume(string name)
    {
        var volume = Names.Of($"fetch-{name}");
        if (context.Options.PersistentVolumes)
        {
            var claim = Names.Of($"{slug}-{name}");
            Volumes.Add(new Volume(volume) { PersistentVolumeClaim = new PvcSource(claim) });
            var pvc = new PvcSpecDto(["ReadWriteMany"], new VolumeResources(new() { ["storage"] = PvcSize }));
            context.Add($"{claim}.pvc.yaml", new KubeObject("v1", "PersistentVolumeClaim", Names.Meta(context, claim), pvc));
        }
        else
        {
            Volumes.Add(new Volume(volume) { EmptyDir = new EmptyDirSource() });
        }

        return volume;
    }

    private List<EnvVar> GitEnv(string url, string? gitRef, string? username, SecretRef? password, string target)
    {
        List<EnvVar> env = [new EnvVar("GIT_URL") { Value = url }, new EnvVar("TARGET") { Value = target }];
        if (gitRef is not null)
        {
            env.Add(new EnvVar("GIT_REF") { Value = gitRef });
        }

        if (username is not null)
        {
            env.Add(new EnvVar("GIT_USERNAME") { Value = username });
        }

        if (password is not null)
        {
            env.Add(context.SecretEnv("GIT_PASSWORD", password.Name));
        }

        return env;
    }
}
