using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs.Parsing;

namespace GradientNode.Daemon.Cli;

/// <summary><c>schema [deployment|workflow]</c>: prints the JSON Schema of a spec kind, written from the parser's own field shapes.</summary>
internal static class SchemaCommand
{
    public static int Run(IReadOnlyList<string> positionals, TextWriter output)
    {
        var kind = positionals.Count switch
        {
            0 => "deployment",
            1 => positionals[0],
            _ => throw new UsageException("schema takes one kind: deployment or workflow"),
        };
        switch (kind)
        {
            case "deployment":
                output.Write(SpecSchema.Deployment());
                return ExitCodes.Ok;
            case "workflow":
                output.Write(WorkflowSchema.Workflow());
                return ExitCodes.Ok;
            default:
                throw new UsageException($"unknown schema '{kind}': deployment or workflow");
        }
    }
}
