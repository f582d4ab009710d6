using GradientNode.Core.Specs.Parsing;
using static GradientNode.Core.Specs.Parsing.FieldType;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// The keys of every workflow mapping, as <see cref="SpecShapes"/> holds them for deployments: the readers take their
/// known keys from here (a mapping whose keys depend on a discriminator, such as <c>with</c> by <c>uses</c> or an input by
/// <c>type</c>, is a list of variants, and its reader accepts their union), and <see cref="WorkflowSchema"/> writes
/// the JSON Schema from it. The types, bounds and patterns here are those the readers check.
/// </summary>
internal static class WorkflowShapes
{
    /// <summary>Job, input and output names (<see cref="WorkflowNames"/>).</summary>
    public const string NamePattern = "^[A-Za-z][A-Za-z0-9_-]{0,63}$";

    /// <summary>A string that is not a <c>secret:</c> reference (<see cref="PlainValues"/>).</summary>
    public const string PlainPattern = "^" + NotSecret;

    /// <summary>An env value or a credential: plain text, or a well-formed secret reference.</summary>
    public const string TextOrSecretPattern = PlainPattern + "|" + SpecShapes.SecretPattern;

    /// <summary>An env value: as <see cref="TextOrSecretPattern"/>, but not wholly a <c>${{ }}</c> expression (<see cref="ExpressionLookalike"/>).</summary>
    public const string EnvValuePattern = ArgumentPattern + "|" + SpecShapes.SecretPattern;

    /// <summary>A container@v1 <c>args</c> or <c>command</c> item: not a secret, not wholly a <c>${{ }}</c> expression (<see cref="ExpressionLookalike"/>).</summary>
    public const string ArgumentPattern = "^" + NotSecret + @"(?![ \t]*\$\{\{[^{}\r\n]*\}\}[ \t]*$)" + NoNamedExpression;

    /// <summary>A script@v1 <c>script</c>: not a secret, no <c>${{ }}</c> that names a secret, an input, a job's output or an env variable.</summary>
    public const string ScriptPattern = PlainPattern + NoNamedExpression;

    /// <summary>No <c>${{ }}</c> anywhere that names a secret, an input, a job's output or an env variable (<see cref="ExpressionLookalike.Embedded"/>).</summary>
    private const string NoNamedExpression = @"(?![\s\S]*\$\{\{[ \t]*(?:secrets?\.[A-Za-z_][A-Za-z0-9_-]*|env\.[A-Za-z_][A-Za-z0-9_]*|(?:workflow\.)?inputs\.[A-Za-z][A-Za-z0-9_-]*(?:\.value)?|(?:needs\.|jobs\.)?[A-Za-z][A-Za-z0-9_-]*\.outputs\.[A-Za-z][A-Za-z0-9_-]*)[ \t]*\}\})";

    /// <summary><c>workflow.inputs.NAME</c> or <c>JOB.outputs.NAME</c>.</summary>
    public const string AliasPattern = @"^(workflow\.inputs\.[^.]+|[^.]+\.outputs\.[^.]+)$";

    /// <summary>Env names: no '=', whitespace or control characters.</summary>
    public const string EnvNamePattern = "^[^=" + Blank + "]+$";

    /// <summary>Reaches a command line: not a secret, not starting with '-', no whitespace or control characters (<see cref="TextRules"/>).</summary>
    public const string SafePattern = "^" + NotSecret + "(?!-)[^" + Blank + "]+$";

    /// <summary>A dataset reference: NAME, NAME:VERSION or NAME:TAG by the dataset store's rules (<see cref="GradientNode.Core.Datasets.DatasetReference"/>).</summary>
    public const string DatasetRefPattern = "^" + NotSecret + DatasetName + "(:[A-Za-z0-9][A-Za-z0-9_.-]{0,127})?$";

    /// <summary>A dataset output's <c>with.ref</c>: a bare dataset name (its new version gets an id of its own).</summary>
    public const string DatasetNamePattern = "^" + DatasetName + "$";

    /// <summary><c>with.path</c>: <c>/outputs/NAME</c> or a folder in it, no '.', '..' or empty segments (<see cref="ActionPathRule"/>).</summary>
    public const string OutputPathPattern = @"^/outputs/[A-Za-z][A-Za-z0-9_-]{0,63}(/(?!\.\.?(/|$))[^/" + Blank + "]+)*/?$";

    /// <summary>A registry name: not blank, not a secret.</summary>
    public const string NotBlankPattern = "^" + NotSecret + @"[\s\S]*\S";

    private const string NotSecret = "(?![Ss][Ee][Cc][Rr][Ee][Tt]:)";
    private const string Blank = @"\s\u0000-\u001f\u007f-\u009f";
    private const string DatasetName = "[A-Za-z][A-Za-z0-9_.-]{0,127}";

    public static readonly ObjectShape DatasetRef = new("dataset reference", [
        new("ref", Text, "Dataset: NAME, NAME:VERSION or NAME:TAG") { Pattern = DatasetRefPattern },
    ]);

    public static readonly ObjectShape DatasetId = new("dataset reference (older spelling)", [
        new("id", Text, "Dataset: the older spelling of ref") { Pattern = DatasetRefPattern },
    ]);

    public static readonly ObjectShape StringWith = new("string value", [
        new("value", Text, "The default value") { Pattern = PlainPattern },
    ]);

    public static readonly ObjectShape AliasWith = new("alias", [
        new("value", Text, "workflow.inputs.NAME or JOB.outputs.NAME", Required: true) { Pattern = AliasPattern },
    ]);

    /// <summary>A workflow input, by <c>type</c>.</summary>
    public static readonly IReadOnlyList<ObjectShape> Inputs = [
        new("dataset input", [
            Kind("dataset"),
            new("with", Mapping, "The default dataset: with.ref (or with.id)") { OneOf = [DatasetRef, DatasetId] },
            Optional(),
        ]),
        new("string input", [Kind("string"), new("with", Mapping, "The default: with.value") { Of = StringWith }, Optional()]),
        new("volume input", [Kind("volume"), Optional()]),
    ];

    /// <summary>An inline job input: a workflow input's shape, or an alias written as a mapping.</summary>
    public static readonly IReadOnlyList<ObjectShape> JobInputs = [
        .. Inputs,
        new("alias input", [Kind("alias"), new("with", Mapping, "with.value: the reference", Required: true) { Of = AliasWith }, Optional()]),
    ];

    /// <summary>A job output, by <c>type</c>.</summary>
    public static readonly IReadOnlyList<ObjectShape> Outputs = [
        new("dataset output", [
            Kind("dataset"),
            new("with", Mapping, "The dataset its new version is committed to: with.ref (or with.id)", Required: true)
            {
                OneOf = [DatasetRef with { Fields = [DatasetRef["ref"] with { Required = true, Pattern = DatasetNamePattern }] }, DatasetId with { Fields = [DatasetId["id"] with { Required = true, Pattern = DatasetNamePattern }] }],
            },
        ]),
        new("string output", [Kind("string")]),
        new("volume output", [Kind("volume")]),
    ];

    public static readonly ObjectShape DefaultsResources = Resources(instanceTypeRequired: false);

    public static readonly ObjectShape JobResources = Resources(instanceTypeRequired: true);

    /// <summary>A job's <c>with</c>, by its action (<see cref="WorkflowActions"/>, GRADIENT-SEMANTICS §9.2).</summary>
    public static readonly IReadOnlyDictionary<WorkflowAction, ObjectShape> With = new Dictionary<WorkflowAction, ObjectShape>
    {
        [WorkflowAction.Container] = new("container@v1 with", [
            Image(),
            new("command", TextOrTextList, "Command (default: the image's entrypoint)") { Pattern = ArgumentPattern },
            new("args", TextList, "Arguments") { Pattern = ArgumentPattern },
        ]),
        [WorkflowAction.Script] = new("script@v1 with", [Image(), new("script", Text, "Script run by bash (the image must have it)", Required: true) { Pattern = ScriptPattern }]),
        [WorkflowAction.GitCheckout] = new("git-checkout@v1 with", [
            new("url", Text, "Repository URL", Required: true) { Pattern = PlainPattern },
            new("ref", Text, "Branch, tag or commit") { Pattern = PlainPattern },
            new("username", TextOrSecret, "User name, or secret:NAME") { Pattern = TextOrSecretPattern },
            new("password", Secret, "secret:NAME of the password or token") { Pattern = SpecShapes.SecretPattern },
            OutputPath(),
        ]),
        [WorkflowAction.S3Download] = new("s3-download@v1 with", [
            new("url", Text, "s3://bucket/prefix", Required: true) { Pattern = PlainPattern },
            new("access-key", TextOrSecret, "Access key id, or secret:NAME", Required: true) { Pattern = TextOrSecretPattern },
            new("secret-access-key", Secret, "secret:NAME of the secret access key", Required: true) { Pattern = SpecShapes.SecretPattern },
            new("region", Text, "Region") { Pattern = PlainPattern },
            new("endpoint", Text, "S3 endpoint URL") { Pattern = PlainPattern },
            OutputPath(),
        ]),
        [WorkflowAction.CreateModel] = new("create-model@v1 with", [
            new("name", Text, "Model name", Required: true) { Pattern = PlainPattern },
            new("type", Text, $"Model type: {string.Join(", ", CreateModelActionSpec.ModelTypes)} (any case)", Required: true) { Pattern = AnyCase(CreateModelActionSpec.ModelTypes) },
        ]),
    };

    /// <summary>A job, by the action in <c>uses</c>.</summary>
    public static readonly IReadOnlyList<ObjectShape> Jobs = [.. WorkflowActions.All.Select(uses => Job(uses, With[WorkflowActions.Parse(uses)!.Value]))];

    public static readonly ObjectShape Defaults = new("defaults", [
        Env("Environment of every job"),
        new("resources", Mapping, "Instance type and registries of every job") { Of = DefaultsResources },
        new("clusterId", Text, "Cluster (accepted, not acted on)") { Pattern = PlainPattern },
    ]);

    public static readonly ObjectShape Workflow = new("Gradient workflow spec", [
        new("on", OpenMapping, "GitHub triggers (accepted, not acted on)"),
        new("context", OpenMapping, "GitHub context (accepted, not acted on)"),
        Timeout("Seconds the whole run may take"),
        new("defaults", Mapping, "Env and resources of every job") { Of = Defaults },
        new("inputs", NamedMap, "Workflow inputs, supplied by workflows run") { KeyPattern = NamePattern, OneOf = Inputs },
        new("jobs", NamedMap, "Jobs, each running one action") { KeyPattern = NamePattern, OneOf = Jobs, MaxItems = Runs.RunLimits.MaxJobs },
    ]);

    public static string[] JobKeys => ObjectShape.KeysOf(Jobs);

    private static ObjectShape Job(string uses, ObjectShape with) => new($"job {uses}", [
        new("uses", Text, "The action", Required: true) { Values = [uses] },
        new("with", Mapping, $"Parameters of {uses}", Required: true) { Of = with },
        new("needs", TextOrTextList, "Jobs that must succeed first") { UniqueItems = true },
        new("inputs", NamedMap, "Inputs at /inputs/NAME: workflow.inputs.NAME, JOB.outputs.NAME or an inline {type, with}") { KeyPattern = NamePattern, OneOf = JobInputs, OrText = AliasPattern },
        new("outputs", NamedMap, "Outputs at /outputs/NAME") { KeyPattern = NamePattern, OneOf = Outputs },
        Env("Environment (over defaults.env)"),
        new("resources", Mapping, "Instance type and registries") { Of = JobResources },
        Timeout("Seconds the job may take"),
    ]);

    private static ObjectShape Resources(bool instanceTypeRequired) => new("resources", [
        new("instance-type", Text, "Machine type: C4, P4000, A100, …", Required: instanceTypeRequired) { Pattern = PlainPattern },
        new("container-registries", TextList, "Names of stored registry connections") { Pattern = NotBlankPattern },
    ]);

    private static FieldShape Kind(string kind) => new("type", Text, "dataset, string or volume (alias: job inputs only)", Required: true) { Values = [kind] };

    private static FieldShape Optional() => new("optional", Flag, "The run may leave it unset (false)");

    private static FieldShape Image() => new("image", Text, "Container image", Required: true) { Pattern = SafePattern };

    private static FieldShape OutputPath() => new("path", Text, "Where it writes: /outputs/NAME or a folder in it (default: the job's only volume or dataset output)") { Pattern = OutputPathPattern };

    private static FieldShape Env(string description) =>
        new("env", TextMap, $"{description}: KEY: value, or secret:NAME (no ${{{{ }}}} expressions)") { KeyPattern = EnvNamePattern, Pattern = EnvValuePattern };

    private static FieldShape Timeout(string description) =>
        new("timeout", Number, $"{description} (seconds, at most 30 days)") { ExclusiveMinimum = 0, Maximum = TimeoutReader.MaxSeconds };

    private static string AnyCase(IEnumerable<string> values) =>
        "^(" + string.Join("|", values.Select(v => string.Concat(v.Select(c => char.IsLetter(c) ? $"[{char.ToUpperInvariant(c)}{char.ToLowerInvariant(c)}]" : c.ToString())))) + ")$";
}
