namespace GradientNode.Daemon.Cli;

/// <summary>The sub-commands of each verb that has them, for the usage errors that name them (a missing or unknown one).</summary>
internal static class SubCommands
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["secrets"] = "set, ls, rm",
        ["registries"] = "add, ls, rm, test",
        ["models"] = "add, ls, rm",
        ["datasets"] = "create, ls, versions, get, upload, download, tag, rm, gc",
        ["workflows"] = "run, ls, runs, get, logs, cancel, delete",
    };

    public static UsageException Missing(string verb) => new($"{verb} needs a sub-command ({Known[verb]})");

    /// <summary>Words other tools use for a sub-command of ours, or for one we do not have (and what to do instead).</summary>
    private static readonly Dictionary<(string Verb, string Sub), string> Hints = new()
    {
        [("secrets", "get")] = "secret values are write-only (no command reads one back); 'secrets ls' lists the names",
        [("secrets", "show")] = "secret values are write-only (no command reads one back); 'secrets ls' lists the names",
        [("workflows", "rerun")] = "run the file again with 'workflows run -f FILE' ('workflows get NAME RUN' shows the inputs a run had)",
        [("workflows", "retry")] = "run the file again with 'workflows run -f FILE' ('workflows get NAME RUN' shows the inputs a run had)",
        [("workflows", "stop")] = "'workflows cancel NAME RUN'",
        [("datasets", "push")] = "'datasets upload NAME DIR'",
        [("datasets", "pull")] = "'datasets download REF DIR'",
        [("registries", "login")] = "'registries add NAME --url URL --username U --password-stdin'",
    };

    public static UsageException Unknown(string verb, string sub) =>
        new($"unknown sub-command '{verb} {sub}'; {verb} has {Known[verb]}{(Hints.TryGetValue((verb, sub.ToLowerInvariant()), out var hint) ? $" ({hint})" : string.Empty)}");
}
