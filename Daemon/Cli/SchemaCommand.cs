using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Specs.Parsing;

namespace GradientNode.Daemon.Cli;

/// <summary><c>schema [deployment|workflow]</c>: prints the JSON Schema of a spec kind, written from the parser's own field shapes.</summary>
internal static class SchemaCommand
{
    public static int Run(ParsedArgs args, TextWriter output)
    {
        // schema takes no option of its own: before, `schema -o json` or `schema --bogus x` printed the deployment schema with
        // exit 0. --socket and --run-dir, which every client verb takes (and the E2E harness puts first), are accepted and unused.
        ArgumentNullException.ThrowIfNull(args);
        if (args.OptionNames.Concat(args.SetFlags).FirstOrDefault(n => n is not ("--socket" or "--run-dir")) is { } unknown)
        {
            throw new UsageException($"unknown option {unknown} for schema (schema [deployment|workflow] takes no options)");
        }

        var positionals = args.Positionals;
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
