namespace GradientNode.Daemon.Cli;

/// <summary>The sub-commands of each verb that has them, for the usage errors that name them (a missing or unknown one).</summary>
internal static class SubCommands
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["secrets"] = "set, ls, rm",
        ["registries"] = "add, ls, rm, test",
        ["models"] = "add, ls, rm",
        ["datasets"] = "create, ls, versions, get, upload, download, tag, untag, rm, gc",
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

    /// <summary>
    /// The options each sub-command takes (beside <c>--socket</c> and <c>--run-dir</c>), aliases included. The verb's own
    /// list (<see cref="ClientVerbOptions"/>) is the union of these; before, an option of one sub-command given to
    /// another was ignored with exit 0 (<c>datasets create NAME --message M</c> made a dataset without the text,
    /// <c>workflows ls -o json</c> printed the table, <c>workflows get NAME RUN --job J</c> every job).
    /// </summary>
    private static readonly Dictionary<(string Verb, string Sub), string[]> OptionsOf = new()
    {
        [("secrets", "set")] = ["--from-file"],
        [("secrets", "ls")] = [],
        [("secrets", "list")] = [],
        [("secrets", "rm")] = [],
        [("secrets", "delete")] = [],
        [("registries", "add")] = ["--url", "--username", "--password-stdin", "--namespace"],
        [("registries", "set")] = ["--url", "--username", "--password-stdin", "--namespace"],
        [("registries", "ls")] = [],
        [("registries", "list")] = [],
        [("registries", "rm")] = [],
        [("registries", "delete")] = [],
        [("registries", "test")] = [],
        [("models", "add")] = ["--from"],
        [("models", "ls")] = ["-o", "--output"],
        [("models", "list")] = ["-o", "--output"],
        [("models", "rm")] = [],
        [("models", "delete")] = [],
        [("datasets", "create")] = ["--description"],
        [("datasets", "ls")] = ["-o", "--output"],
        [("datasets", "list")] = ["-o", "--output"],
        [("datasets", "versions")] = ["-o", "--output"],
        [("datasets", "get")] = ["-o", "--output"],
        [("datasets", "upload")] = ["--message"],
        [("datasets", "download")] = [],
        [("datasets", "tag")] = [],
        [("datasets", "untag")] = [],
        [("datasets", "rm")] = [],
        [("datasets", "delete")] = [],
        [("datasets", "gc")] = ["--dry-run", "-o", "--output"],
        [("workflows", "run")] = ["-f", "--filename", "--name", "--inputs", "--wait"],
        [("workflows", "ls")] = ["-o", "--output"],
        [("workflows", "list")] = ["-o", "--output"],
        [("workflows", "runs")] = ["-o", "--output"],
        [("workflows", "get")] = ["-o", "--output"],
        [("workflows", "logs")] = ["--job", "-f", "--follow", "--tail", "--raw"],
        [("workflows", "cancel")] = [],
        [("workflows", "delete")] = ["--all"],
        [("workflows", "rm")] = ["--all"],
    };

    /// <summary>
    /// Throws <see cref="UsageException"/> for an option the sub-command does not take, naming the sub-commands that do
    /// (<c>--message goes with datasets upload only, not with datasets create</c>). A verb without sub-commands, a
    /// missing or an unknown sub-command is left to the verb (which names it).
    /// </summary>
    public static void CheckOptions(string verb, ParsedArgs parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (!Known.ContainsKey(verb) || parsed.Positionals.FirstOrDefault() is not { } sub || !OptionsOf.TryGetValue((verb, sub), out var allowed))
        {
            return;
        }

        foreach (var name in parsed.OptionNames.Concat(parsed.SetFlags).Where(n => n is not ("--socket" or "--run-dir") && !allowed.Contains(n)))
        {
            var others = Known[verb].Split(", ").Where(s => OptionsOf[(verb, s)].Contains(name)).ToList();
            throw new UsageException(others.Count == 0
                ? $"unknown option {name} for {verb} {sub}"
                : $"{name} goes with {string.Join(" and ", others.Select(s => $"{verb} {s}"))} only, not with {verb} {sub}");
        }
    }

    public static UsageException Unknown(string verb, string sub) =>
        new($"unknown sub-command '{verb} {sub}'; {verb} has {Known[verb]}{(Hints.TryGetValue((verb, sub.ToLowerInvariant()), out var hint) ? $" ({hint})" : string.Empty)}");
}
