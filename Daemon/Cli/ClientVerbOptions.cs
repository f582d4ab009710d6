using System.Globalization;
using GradientNode.Core.Specs;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// The client verbs and the options each takes. An unknown verb is a usage error that names the verb, whatever
/// options follow it (before, <c>deploy -f x.yaml</c> said "unknown option -f for deploy"); an option the verb does
/// not take is a usage error that names it.
/// </summary>
internal static class ClientVerbOptions
{
    private static readonly string[] Common = ["--socket", "--run-dir"];

    /// <summary>Throws <see cref="UsageException"/> for an unknown verb or an option <paramref name="verb"/> does not take.</summary>
    public static void Check(string verb, ParsedArgs parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var allowed = Allowed(verb) ?? throw new UsageException(UsageHints.UnknownVerb(verb));
        if (verb == "scale" && parsed.OptionNames.FirstOrDefault(LooksLikeANumber) is { } negative)
        {
            // `scale web -1`: read as an option before, "unknown option -1 for scale".
            throw new UsageException(NotACount(negative));
        }

        foreach (var name in parsed.OptionNames.Concat(parsed.SetFlags).Where(n => !Common.Contains(n) && !allowed.Contains(n)))
        {
            throw new UsageException(UsageHints.WithOptionHint($"unknown option {name} for {verb}", name, allowed.Concat(Common)));
        }

        SubCommands.CheckOptions(verb, parsed);

        // Before, these ignored every word after the verb: `ls web` listed all deployments, `node gpus` printed the summary,
        // both with exit 0, as if the word had been understood.
        // `version extra` printed the version with exit 0 as well.
        if (verb is "ls" or "list" or "node" or "version" or "--version" && parsed.Positionals is [var first, ..] words)
        {
            var given = words.Count == 1 ? $"'{first}' was given" : $"{words.Count} words were given ('{first}' …)";
            throw new UsageException(verb switch
            {
                "node" => $"node takes no arguments; {given} (it prints the whole summary, GPUs included; -o json for the fields)",
                "version" or "--version" => $"{verb} takes no arguments; {given} (it prints gradient-node's version; gradient-node node adds the engine's and the node's)",
                _ => $"{verb} takes no arguments; {given} (one deployment: gradient-node get {string.Join(' ', words)})",
            });
        }
    }

    /// <summary>
    /// The whole number of a count option such as <c>--tail N</c> or <c>--replica I</c> (0 or more), or null when it
    /// was not given; anything else is a usage error that names the option and the value.
    /// </summary>
    public static int? Count(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new UsageException($"{option} takes a whole number (0 or more), not '{value}'");
    }

    /// <summary>
    /// <c>scale --replicas N</c>: required, 0 to <see cref="ResourcesSpec.MaxReplicas"/>; anything else is a usage error
    /// here rather than the API's <c>?replicas=N</c> refusal. <paramref name="named"/> is how the message names the count:
    /// the option, or "the count" for one given without it (<c>scale web 65</c>).
    /// </summary>
    public static int Replicas(string? value, string named = "--replicas")
    {
        if (value is { Length: > 0 } && value.All(char.IsAsciiDigit) && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            // Past int: as much too many as 65 is, not "not a whole number".
            throw new UsageException($"{named} {ResourcesSpec.TooMany(value)}");
        }

        var replicas = Count("--replicas", value) ?? throw new UsageException(NeedsACount);
        return replicas <= ResourcesSpec.MaxReplicas
            ? replicas
            : throw new UsageException($"{named} {ResourcesSpec.TooMany(replicas)}");
    }

    /// <summary>
    /// <c>scale NAME --replicas N</c>, or <c>scale NAME N</c> (the count last, as <c>fly scale count N</c> and
    /// <c>docker compose scale</c> take it): without <c>--replicas</c>, a last word that is a whole number is the count,
    /// when a name comes before it. The name's words (a name may hold spaces) and the count.
    /// </summary>
    public static (IReadOnlyList<string> NameWords, int Replicas) Scale(IReadOnlyList<string> positionals, string? replicasOption)
    {
        ArgumentNullException.ThrowIfNull(positionals);
        if (replicasOption is null && positionals.Count >= 2 && positionals[^1] is { Length: > 0 } last)
        {
            if (last.All(char.IsAsciiDigit))
            {
                return ([.. positionals.Take(positionals.Count - 1)], Replicas(last, "the count"));
            }

            // `scale web 1.5`, `scale web -1`: meant as the count, so said as one (before: "scale needs a count").
            throw new UsageException(LooksLikeANumber(last) ? NotACount(last) : $"{NeedsACount} (the last word, '{last}', is not a whole number from 0 to {ResourcesSpec.MaxReplicas})");
        }

        return (positionals, Replicas(replicasOption));
    }

    private const string NeedsACount = "scale needs a count: scale NAME N, or scale NAME --replicas N";

    /// <summary>A word written as a number (<c>-1</c>, <c>1.5</c>, <c>+3</c>, <c>.5</c>), whole or not: meant as a count.</summary>
    private static bool LooksLikeANumber(string word) =>
        word.TrimStart('+', '-').TrimStart('.') is { Length: > 0 } rest && char.IsAsciiDigit(rest[0]) && word.Length - rest.Length <= 2;

    private static string NotACount(string word) =>
        $"the count must be a whole number from 0 to {ResourcesSpec.MaxReplicas}, not '{word}' (scale NAME N, or scale NAME --replicas N)";

    private static string[]? Allowed(string verb) => verb switch
    {
        "apply" => ["-f", "--filename", "--wait", "--timeout", "--dry-run"],
        "diff" => ["-f", "--filename"],
        "restart" => ["--wait", "--timeout"],
        "scale" => ["--replicas", "--wait", "--timeout"],
        "ls" or "list" or "get" or "node" => ["-o", "--output"],
        "delete" or "rm" or "version" or "--version" => [],
        "logs" => ["-f", "--follow", "-t", "--timestamps", "--tail", "--replica", "--raw"],
        "console" => ["--listen", "--open"],
        "secrets" => ["--from-file"],
        "models" => ["--from", "-o", "--output"],
        "datasets" => ["--description", "--message", "-o", "--output", "--dry-run"],
        "workflows" => WorkflowCommands.Options,
        "registries" => ["--url", "--username", "--password-stdin", "--namespace"],
        _ => null,
    };
}
