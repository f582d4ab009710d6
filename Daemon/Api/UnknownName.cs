using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The 404 answer for a secret, registry connection or model that is not stored, with the next step: the close name the
/// caller probably meant, else the names there are, else how to add the first one. Before, <c>registries test ghost</c>
/// and <c>secrets rm ghost</c> said only <c>no registry connection 'ghost'</c>. Names only, never a value.
/// </summary>
internal static class UnknownName
{
    /// <summary>At most this many names are listed; more end in "…".</summary>
    private const int MaxListed = 10;

    public static string Secret(string name, IEnumerable<string> names) =>
        For($"no secret '{name}'", name, names, "secrets ls", "this node has no secrets yet; add one: gradient-node secrets set NAME (the value on stdin)");

    public static string Registry(string name, IEnumerable<string> names) =>
        For($"no registry connection '{name}'", name, names, "registries ls", "this node has no registry connections yet; add one: gradient-node registries add NAME --url URL --username USER --password-stdin");

    /// <summary>A model the store does not hold (<c>models rm tny</c>); before, only <c>no model 'tny'</c>.</summary>
    public static string Model(string name, IEnumerable<string> names) =>
        For($"no model '{name}'", name, names, "models ls", "the model store is empty; add one: gradient-node models add ID --from DIR");

    /// <summary>
    /// A deployment the node does not know, with the close slug the caller probably meant (<c>scale web-dmeo 2</c>).
    /// Only the socket API says this: the proxy's 404 to a network client never names another deployment.
    /// </summary>
    public static string Deployment(string name, IEnumerable<string> slugs)
    {
        var what = $"no deployment '{name}' on this node";
        return KeySuggester.Suggest(DeploymentName.ToSlug(name), slugs.Order(StringComparer.Ordinal)) is { } close
            ? $"{what}; did you mean '{close}'? (gradient-node ls lists them)"
            : what;
    }

    /// <summary>
    /// <c>did you mean 'api-pw'?</c> when one of <paramref name="names"/> is close to <paramref name="name"/> (a typo, or the
    /// same letters in another case); null when none is. For a message that says the rest itself (a spec's warning).
    /// </summary>
    public static string? DidYouMean(string name, IEnumerable<string> names) =>
        KeySuggester.Suggest(name, names.Where(n => n != name).Order(StringComparer.Ordinal)) is { } close ? $"did you mean '{close}'?" : null;

    private static string For(string what, string name, IEnumerable<string> names, string list, string none)
    {
        var known = names.Order(StringComparer.Ordinal).ToList();
        if (known.Count == 0)
        {
            return $"{what} ({none})";
        }

        if (KeySuggester.Suggest(name, known) is { } close)
        {
            return $"{what}; did you mean '{close}'? (gradient-node {list} lists them)";
        }

        var shown = string.Join(", ", known.Take(MaxListed)) + (known.Count > MaxListed ? ", …" : string.Empty);
        return $"{what} (there are: {shown}; gradient-node {list})";
    }
}
