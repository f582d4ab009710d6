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

    public static UsageException Unknown(string verb, string sub) => new($"unknown sub-command '{verb} {sub}'; {verb} has {Known[verb]}");
}
