using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Daemon.Cli;

/// <summary><c>schema [deployment|workflow]</c>: prints the JSON Schema of a spec kind, written from the parser's own field shapes.</summary>
internal static class SchemaCommand
{
    public static int Run(IReadOnlyList<string> positionals, TextWriter output, TextWriter error)
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
                error.WriteLine("gradient-node schema: the workflow schema is not available yet (workflow specs are not parsed by this version)");
                return ExitCodes.Failed;
            default:
                throw new UsageException($"unknown schema '{kind}': deployment or workflow");
        }
    }
}
