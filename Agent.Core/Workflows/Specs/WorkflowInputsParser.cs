using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// A run's inputs (<c>workflows run --inputs FILE</c>): Gradient's <c>{"inputs": {NAME: {ref|id: X} | {value: X}}}</c>
/// in JSON or YAML, checked against the workflow's declared inputs. A required input (no default, not optional)
/// that is not given is an error, located at its declaration in the workflow file.
/// </summary>
public static class WorkflowInputsParser
{
    private static readonly string[] TopKeys = ["inputs"];
    private static readonly string[] DatasetKeys = ["ref", "id"];
    private static readonly string[] StringKeys = ["value"];

    /// <summary>
    /// True when <paramref name="text"/> has the shape of a run's inputs file: a mapping whose one key is <c>inputs</c>,
    /// holding a mapping. <c>validate</c> says so instead of reading it as a broken deployment (newuser14: before,
    /// <c>unknown field 'inputs'</c> and three missing fields).
    /// </summary>
    public static bool LooksLikeInputsFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (YamlGuard.Check(text) is not null)
        {
            return false;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode { Children.Count: 1 } root
                && root.Children.Single() is { Key: YamlScalarNode { Value: "inputs" }, Value: YamlMappingNode };
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    /// <param name="workflowFile">The workflow file's name and text, to locate a missing input's declaration.</param>
    /// <param name="inputsFile">The inputs file's name, or null when the run gives none.</param>
    public static WorkflowInputsResult Parse(WorkflowSpec spec, (string Name, string Text) workflowFile, string? inputsFile, string? inputsText)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reader = new SpecReader(inputsFile ?? workflowFile.Name);
        var given = new Dictionary<string, WorkflowInputValue>(StringComparer.Ordinal);
        var mentioned = new HashSet<string>(StringComparer.Ordinal);
        if (inputsFile is not null && inputsText is not null && IsBlank(inputsText))
        {
            reader.Error(1, 1, $"the inputs file is empty; expected {Shape}");
        }
        else if (inputsFile is not null && inputsText is not null && YamlDocumentLoader.Load(reader, inputsText) is { } root)
        {
            var top = new MappingReader(reader, root, string.Empty, TopKeys);
            if (top.Mapping("inputs") is { } inputs)
            {
                ReadGiven(reader, spec, inputs, given, mentioned);
            }
            else if (!top.Has("inputs") && root.Children.Count > 0
                && !root.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is { } key && KeySuggester.Suggest(key, TopKeys) is not null))
            {
                // Any top-level key but a misspelt 'inputs' (which the reader names with a "did you mean"): before, only
                // keys that were declared inputs got this, so a misspelt one (labl: {value: x}) was told only
                // "unknown field 'labl'", as if another top-level key would do.
                reader.Error(root, $"the run's inputs go under a top-level 'inputs' key: {Shape}");
            }
        }

        var missing = new SpecReader(workflowFile.Name);
        var locator = new WorkflowInputLocator(workflowFile.Name, workflowFile.Text);
        var values = new List<WorkflowInputValue>();
        foreach (var input in spec.Inputs)
        {
            if (given.TryGetValue(input.Name, out var value))
            {
                values.Add(value);
            }
            else if (input.IsRequired && !mentioned.Contains(input.Name))
            {
                var at = locator.Declaration(input.Name);
                missing.Error(at.Line, at.Column, $"inputs.{input.Name}: required input not given (no with default, not optional); give it in the run's inputs file (gradient-node workflows run -f {workflowFile.Name} --inputs INPUTS.yaml), e.g. {{\"inputs\": {{\"{input.Name}\": {Example(input.Kind)}}}}}");
            }
            else if (input.Kind == WorkflowValueKind.Volume || input.DatasetRef is not null || input.Value is not null)
            {
                values.Add(new WorkflowInputValue(input.Name, input.Kind, input.DatasetRef, input.Value, locator.Default(input.Name)));
            }
        }

        var errors = reader.SortedErrors().Concat(missing.SortedErrors()).ToList();
        return errors.Count > 0
            ? new WorkflowInputsResult(null, new EquatableArray<SpecError>(errors))
            : new WorkflowInputsResult(new EquatableArray<WorkflowInputValue>(values), EquatableArray<SpecError>.Empty);
    }

    private const string Shape = "{\"inputs\": {NAME: {\"ref\": DATASET} or {\"value\": TEXT}}}";

    /// <summary>Nothing but blank lines and comments: YAML's null document, which the spec loader would call an empty spec.</summary>
    private static bool IsBlank(string text) => text.Split('\n').All(line => line.Trim().Length == 0 || line.TrimStart().StartsWith('#'));

    private static void ReadGiven(SpecReader reader, WorkflowSpec spec, YamlMappingNode inputs, Dictionary<string, WorkflowInputValue> given, HashSet<string> mentioned)
    {
        foreach (var (key, node) in inputs.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            mentioned.Add(name);
            var field = FieldPath.Child("inputs", ValueReader.Shorten(name));
            if (spec.Input(name) is not { } declared)
            {
                var known = spec.Inputs.Count == 0 ? "the workflow declares none" : $"declared: {string.Join(", ", spec.Inputs.Select(i => i.Name))}";
                var close = KeySuggester.Suggest(name, spec.Inputs.Select(i => i.Name)) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
                reader.Error(key, $"{field}: the workflow has no input '{ValueReader.Shorten(name)}' ({known}){close}");
                continue;
            }

            if (declared.Kind == WorkflowValueKind.Volume)
            {
                reader.Error(key, $"{field}: a volume input starts empty; it takes no value");
                continue;
            }

            if (node is YamlScalarNode { Value: { Length: > 0 } bare } scalar && !ValueReader.IsNull(scalar) && bare != "...")
            {
                // A bare value, as Argo's -p NAME=VALUE or a flat map of parameters gives it. Before: "expected a mapping,
                // got 'second'", which did not say which mapping (newuser15's finding).
                var wanted = declared.Kind == WorkflowValueKind.Dataset ? "ref" : "value";
                reader.Error(node, $"{field}: a run's input is given as {ValueReader.Shorten(name)}: {{{wanted}: {ValueReader.Shorten(bare)}}}, not as a bare value");
                continue;
            }

            if (ValueReader.Mapping(reader, node, field) is not { } mapping)
            {
                continue;
            }

            if (mapping.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is "type" or "with"))
            {
                // The workflow file's declaration copied here. Before: "unknown field 'type'", "unknown field 'with'" and
                // "missing required field 'ref'", three errors that did not say the shape was the other file's.
                var copied = declared.Kind == WorkflowValueKind.Dataset ? CopiedRef(mapping) : null;
                var example = declared.Kind == WorkflowValueKind.Dataset ? $"{{ref: {copied ?? "DATASET"}}}" : "{value: TEXT}";
                reader.Error(key, $"{field}: a run's input is given as {ValueReader.Shorten(name)}: {example}, not in the workflow file's form {{type, with: …}}");
                continue;
            }

            var block = new MappingReader(reader, mapping, field, declared.Kind == WorkflowValueKind.Dataset ? DatasetKeys : StringKeys);
            if (declared.Kind == WorkflowValueKind.Dataset && DatasetRefReader.Read(block, required: true) is { } reference)
            {
                given[name] = new WorkflowInputValue(name, declared.Kind, reference, null, Position(reader, block.At(block.Has("id") ? "id" : "ref")));
            }
            else if (declared.Kind == WorkflowValueKind.String && StringValue(block) is { } text)
            {
                given[name] = new WorkflowInputValue(name, declared.Kind, null, text, Position(reader, block.At("value")));
            }
        }
    }

    /// <summary>
    /// A string input's <c>value</c>: <c>""</c> or blanks are a value (an empty string, as the workflow file's
    /// <c>with: {value: ""}</c> is); only a missing or null one is missing. Before, <c>{"value": ""}</c> was refused as
    /// "missing required field 'value'".
    /// </summary>
    private static string? StringValue(MappingReader block) =>
        block.Value("value") is YamlScalarNode scalar && !ValueReader.IsNull(scalar)
            ? PlainValues.Check(block.Reader, scalar, block.Field("value"), scalar.Value ?? string.Empty)
            : PlainValues.String(block, "value", required: true);

    /// <summary>The dataset reference under a copied declaration's <c>with.ref</c> (or <c>with.id</c>), for the example; null when none.</summary>
    private static string? CopiedRef(YamlMappingNode input)
    {
        var with = input.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "with" }).Value as YamlMappingNode;
        var written = with?.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "ref" or "id" }).Value as YamlScalarNode;
        return written?.Value is { Length: > 0 } value ? ValueReader.Shorten(value) : null;
    }

    private static SpecPosition Position(SpecReader reader, YamlNode node) => new(reader.File, (int)node.Start.Line, (int)node.Start.Column);

    private static string Example(WorkflowValueKind kind) => kind == WorkflowValueKind.Dataset ? "{\"ref\": \"DATASET\"}" : "{\"value\": \"TEXT\"}";
}
