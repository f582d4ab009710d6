using System.Text.RegularExpressions;

namespace GradientNode.Core.Networking;

/// <summary>
/// The node's one rule per bridge, in the <c>OUTPUT</c> chain of <c>iptables</c> and <c>ip6tables</c> alike: a new
/// connection from this host into the replicas' bridge is refused unless its socket belongs to root. Replies to
/// connections a replica opened, and everything the engine forwards, are not touched. The rules carry
/// <see cref="Comment"/>, so the node finds its own and nobody else's.
/// </summary>
public static partial class IptablesRules
{
    public const string Comment = "gradient-node-replicas";

    /// <summary>Seconds each call waits for the xtables lock another tool holds.</summary>
    private const string LockWaitSeconds = "10";

    /// <summary>A Linux interface name: at most 15 characters, none that a tool could read as an option or a path.</summary>
    public static bool IsInterfaceName(string name) => InterfaceName().IsMatch(name);

    public static IReadOnlyList<string> Rule(string bridge)
    {
        if (!IsInterfaceName(bridge))
        {
            throw new ArgumentException($"not an interface name: '{bridge}'", nameof(bridge));
        }

        return ["-o", bridge, "-m", "conntrack", "--ctstate", "NEW", "-m", "owner", "!", "--uid-owner", "0", "-m", "comment", "--comment", Comment, "-j", "REJECT"];
    }

    public static IReadOnlyList<string> Check(string bridge) => ["-w", LockWaitSeconds, "-C", "OUTPUT", .. Rule(bridge)];

    public static IReadOnlyList<string> Insert(string bridge) => ["-w", LockWaitSeconds, "-I", "OUTPUT", "1", .. Rule(bridge)];

    public static IReadOnlyList<string> List() => ["-w", LockWaitSeconds, "-S", "OUTPUT"];

    /// <summary>
    /// The node's rules in a <c>-S OUTPUT</c> listing: each rule's interface and the arguments that delete exactly it.
    /// A rule is the node's only when it is exactly the one <see cref="Rule"/> writes (the tool adds
    /// <c>--reject-with</c> and one value when it lists it): our comment as the value of <c>--comment</c> in another
    /// rule, a log prefix, another target, chain or match, and ours in a shape this version did not write, are left alone.
    /// </summary>
    public static IReadOnlyList<(string Bridge, IReadOnlyList<string> Delete)> Ours(string listing)
    {
        var found = new List<(string, IReadOnlyList<string>)>();
        foreach (var raw in listing.Split('\n'))
        {
            var words = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 4 || words[0] != "-A" || words[1] != "OUTPUT" || words[2] != "-o" || !IsInterfaceName(words[3]))
            {
                continue;
            }

            var rule = Rule(words[3]);
            var rest = words.Length - 2 - rule.Count;
            var exact = (rest == 0 || (rest == 2 && words[^2] == "--reject-with" && RejectWith().IsMatch(words[^1])))
                && words.Skip(2).Take(rule.Count).SequenceEqual(rule, StringComparer.Ordinal);
            if (exact)
            {
                found.Add((words[3], ["-w", LockWaitSeconds, "-D", "OUTPUT", .. words[2..]]));
            }
        }

        return found;
    }

    /// <summary>The node's rules in a listing that name exactly <paramref name="bridge"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> OursFor(string listing, string bridge) =>
        [.. Ours(listing).Where(o => string.Equals(o.Bridge, bridge, StringComparison.Ordinal)).Select(o => o.Delete)];

    /// <summary>What <c>-S</c> shows after <c>REJECT</c>: <c>icmp-port-unreachable</c>, <c>icmp6-port-unreachable</c>.</summary>
    [GeneratedRegex(@"^[a-z0-9-]{1,40}\z")]
    private static partial Regex RejectWith();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}\z")]
    private static partial Regex InterfaceName();
}
