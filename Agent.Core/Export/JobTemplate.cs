using GradientNode.Core.Workflows.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>One job as an Argo template (its action) and its DAG task's arguments (what it reads from whom).</summary>
internal sealed class JobTemplate(ExportContext context, WorkflowSpec workflow, WorkflowJobSpec job, JobNames jobNames)
{
    /// <summary>Where a job's outputs are, as on the node.</summary>
    private const string OutputsRoot = "/outputs";

    private readonly List<ArgoParameter> _inputParameters = [];
    private readonly List<ArgoArtifact> _inputArtifacts = [];
    private readonly List<ArgoParameter> _argParameters = [];
    private readonly List<ArgoArtifact> _argArtifacts = [];
    private readonly List<V1VolumeMount> _mounts = [];
    private readonly List<V1Volume> _volumes = [];

    public ArgoTemplate Template()
    {
        OutputFolders();
        Inputs();
        var outputParameters = new List<ArgoParameter>();
        var outputArtifacts = new List<ArgoArtifact>();
        foreach (var output in job.Outputs)
        {
            switch (output.Kind)
            {
                case WorkflowValueKind.String:
                    outputParameters.Add(new ArgoParameter(output.Name) { ValueFrom = new ArgoValueFrom(output.MountPath) });
                    break;
                case WorkflowValueKind.Dataset:
                    // The run's own copy (a version), and the same folder again as the dataset's latest, which a later
                    // exported workflow's input of the bare dataset name reads (as the node's latest): two workflows chain.
                    // Not archived: Argo's default tar.gz object would sit at the key beside the folder of plain files
                    // the export's warning tells a user to seed it with (newuser15); an input reads either.
                    var dataset = output.DatasetRef ?? output.Name;
                    var files = new ArgoArchive(new ArgoNoArchive());
                    outputArtifacts.Add(new ArgoArtifact(output.Name) { Path = output.MountPath, S3 = new ArgoS3Key($"datasets/{dataset}/{{{{workflow.uid}}}}"), Archive = files });
                    outputArtifacts.Add(new ArgoArtifact(LatestArtifactName(output.Name)) { Path = output.MountPath, S3 = new ArgoS3Key(WorkflowExporter.DatasetKey(dataset)), Archive = files });
                    break;
                default:
                    _mounts.Add(Mount($"{jobNames.Of(job.Id)}-{output.Name}", output.MountPath, readOnly: false));
                    break;
            }
        }

        var field = $"jobs.{job.Id}.resources.instance-type";
        var resources = MachineResources.For(context, field, job.Resources.InstanceType, out var type);
        var env = workflow.Defaults.Env.Where(d => job.Env.All(e => e.Name != d.Name)).Concat(job.Env)
            .Select(e => WorkflowExporter.Env(context, e)).ToList();
        var template = new ArgoTemplate(jobNames.Of(job.Id))
        {
            Inputs = Io(_inputParameters, _inputArtifacts),
            Outputs = Io(outputParameters, outputArtifacts),
            ActiveDeadlineSeconds = job.Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : null,
            NodeSelector = MachineResources.NodeSelector(context.Options),
            Tolerations = MachineResources.Tolerations(type),
            Volumes = _volumes.Count == 0 ? null : _volumes,
        };
        var mounts = _mounts.Count == 0 ? null : _mounts;
        return Action(template, env, resources, mounts);
    }

    public ArgoIo? TaskArguments() => Io(_argParameters, _argArtifacts);

    /// <summary>The name of a dataset output's second artifact (its <c>latest</c> key): <c>NAME-latest</c>, lengthened while another output has that name.</summary>
    private string LatestArtifactName(string output)
    {
        var name = output + "-latest";
        while (job.Outputs.Any(o => o.Name == name))
        {
            name += "-latest";
        }

        return name;
    }

    private static ArgoIo? Io(List<ArgoParameter> parameters, List<ArgoArtifact> artifacts) =>
        parameters.Count == 0 && artifacts.Count == 0 ? null : new ArgoIo
        {
            Parameters = parameters.Count == 0 ? null : parameters,
            Artifacts = artifacts.Count == 0 ? null : artifacts,
        };

    private static V1VolumeMount Mount(string claim, string path, bool readOnly) => new() { Name = Names.Of(claim), MountPath = path, ReadOnlyProperty = readOnly };

    /// <summary>
    /// On the node <c>/outputs</c> and each dataset output's folder exist before the job starts; an image has neither, so a
    /// job that writes <c>/outputs/NAME</c> would fail on a cluster. A template with string or dataset outputs gets an
    /// emptyDir at <c>/outputs</c> and one per dataset output at <c>/outputs/NAME</c> (Argo reads outputs from them).
    /// </summary>
    private void OutputFolders()
    {
        if (!job.Outputs.Any(o => o.Kind is WorkflowValueKind.String or WorkflowValueKind.Dataset))
        {
            return;
        }

        AddEmptyDir("outputs", OutputsRoot);
        foreach (var output in job.Outputs.Where(o => o.Kind == WorkflowValueKind.Dataset))
        {
            AddEmptyDir($"outputs-{output.Name}", output.MountPath);
        }
    }

    private void AddEmptyDir(string name, string path)
    {
        _volumes.Add(new V1Volume { Name = Names.Of(name), EmptyDir = new V1EmptyDirVolumeSource() });
        _mounts.Add(Mount(name, path, readOnly: false));
    }

    private ArgoTemplate Action(ArgoTemplate template, List<V1EnvVar> env, V1ResourceRequirements? resources, List<V1VolumeMount>? mounts)
    {
        var envOrNull = env.Count == 0 ? null : env;
        switch (job.With)
        {
            case ScriptActionSpec script:
                return template with { Script = new ArgoScript(jobNames.Of(job.Id), script.Image, ["bash"], script.Script) { Env = envOrNull, Resources = resources, VolumeMounts = mounts } };
            case ContainerActionSpec container:
                return template with
                {
                    Container = new V1Container
                    {
                        Name = jobNames.Of(job.Id),
                        Image = container.Image,
                        Command = container.Command is { } entry ? ExportContext.Verbatim(entry) : null,
                        Args = container.Args.IsEmpty ? null : ExportContext.Verbatim(container.Args),
                        Env = envOrNull, Resources = resources, VolumeMounts = mounts,
                    },
                };
            case GitCheckoutActionSpec git:
                List<V1EnvVar> gitEnv = [ExportContext.Literal("GIT_URL", git.Url), ExportContext.Literal("TARGET", git.Path)];
                if (git.Ref is { } gitRef)
                {
                    gitEnv.Add(ExportContext.Literal("GIT_REF", gitRef));
                }

                if (git.Username is { } user)
                {
                    gitEnv.Add(WorkflowExporter.Env(context, new("GIT_USERNAME", user)));
                }

                if (git.Password is { } password)
                {
                    gitEnv.Add(context.SecretEnv("GIT_PASSWORD", password));
                }

                return template with { Container = Tool(context.Options.GitImage, ["sh", "-c", FetchVolumes.GitClone], [.. gitEnv, .. env], resources, mounts) };
            case S3DownloadActionSpec s3:
                List<string> command = ["aws", "s3", "sync", s3.Url, s3.Path];
                if (s3.Endpoint is { } endpoint)
                {
                    command.AddRange(["--endpoint-url", FetchVolumes.EndpointUrl(endpoint)]);
                }

                List<V1EnvVar> s3Env = [WorkflowExporter.Env(context, new("AWS_ACCESS_KEY_ID", s3.AccessKey)), context.SecretEnv("AWS_SECRET_ACCESS_KEY", s3.SecretAccessKey)];
                if (s3.Region is { } region)
                {
                    s3Env.Add(ExportContext.Literal("AWS_DEFAULT_REGION", region));
                }

                return template with { Container = Tool(context.Options.S3Image, command, [.. s3Env, .. env], resources, mounts) };
            default:
                var model = (CreateModelActionSpec)job.With;
                context.Warn($"jobs.{job.Id}.uses", $"create-model@v1 registers '{model.Name}' in the node's model store, which a cluster does not have; the task only writes the name as model-id");
                return template with { Container = Tool("busybox:1.36", ["sh", "-c", $"mkdir -p /outputs && echo '{model.Name}' > /outputs/{CreateModelActionSpec.ModelIdOutput}"], env, resources, mounts) };
        }
    }

    private V1Container Tool(string image, List<string> command, List<V1EnvVar> env, V1ResourceRequirements? resources, List<V1VolumeMount>? mounts) =>
        new() { Name = jobNames.Of(job.Id), Image = image, Command = command, Env = env.Count == 0 ? null : env, Resources = resources, VolumeMounts = mounts };

    private void Inputs()
    {
        foreach (var input in job.Inputs)
        {
            var source = input.Source;
            switch (input.Kind)
            {
                case WorkflowValueKind.String:
                    _inputParameters.Add(new ArgoParameter(input.Name));
                    _inputArtifacts.Add(new ArgoArtifact(input.Name) { Path = input.MountPath, Raw = new ArgoRaw($"{{{{inputs.parameters.{input.Name}}}}}") });
                    var value = source.Kind switch
                    {
                        WorkflowInputSourceKind.JobOutput => $"{{{{tasks.{jobNames.Of(source.Job!)}.outputs.parameters.{source.Name}}}}}",
                        WorkflowInputSourceKind.WorkflowInput => $"{{{{workflow.parameters.{Names.Of(source.Name!)}}}}}",
                        _ => source.Inline?.Value ?? string.Empty,
                    };
                    _argParameters.Add(new ArgoParameter(input.Name) { Value = value });
                    break;
                case WorkflowValueKind.Dataset when source.Kind == WorkflowInputSourceKind.JobOutput:
                    _inputArtifacts.Add(new ArgoArtifact(input.Name) { Path = input.MountPath });
                    _argArtifacts.Add(new ArgoArtifact(input.Name) { From = $"{{{{tasks.{jobNames.Of(source.Job!)}.outputs.artifacts.{source.Name}}}}}" });
                    break;
                case WorkflowValueKind.Dataset:
                    var reference = source.Kind == WorkflowInputSourceKind.WorkflowInput ? workflow.Input(source.Name!)?.DatasetRef : source.Inline?.DatasetRef;
                    _inputArtifacts.Add(new ArgoArtifact(input.Name) { Path = input.MountPath, S3 = new ArgoS3Key(WorkflowExporter.DatasetKey(reference ?? source.Name ?? input.Name)), Optional = input.Optional ? true : null });
                    break;
                default:
                    var claim = source.Kind == WorkflowInputSourceKind.JobOutput ? $"{jobNames.Of(source.Job!)}-{source.Name}" : $"input-{source.Name ?? input.Name}";
                    _mounts.Add(Mount(claim, input.MountPath, readOnly: true));
                    break;
            }
        }
    }
}
