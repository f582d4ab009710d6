namespace GradientNode.Core.Export;

/// <summary>
/// The Argo task and template name of each job. Job ids may differ only where a Kubernetes name cannot (<c>prep_data</c>
/// and <c>prep-data</c>, <c>Train</c> and <c>train</c>, or past the 63rd character): the first job in file order keeps
/// its plain name, a later one whose name is taken gets a suffix from a hash of its id (<see cref="UniqueNames"/>), so no two tasks or templates share a name.
/// </summary>
internal sealed class JobNames
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public JobNames(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var unique = new UniqueNames();
        foreach (var id in ids)
        {
            _names[id] = unique.Of(id);
        }
    }

    /// <summary>The job's name; an id not given at construction falls back to <see cref="Names.Of"/>.</summary>
    public string Of(string id) => _names.TryGetValue(id, out var name) ? name : Names.Of(id);
}
