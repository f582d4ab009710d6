using System.Security.Cryptography;
using System.Text;

namespace GradientNode.Core.Export;

/// <summary>
/// The Argo task and template name of each job. Job ids may differ only where a Kubernetes name cannot (<c>prep_data</c>
/// and <c>prep-data</c>, <c>Train</c> and <c>train</c>, or past the 63rd character): the first job in file order keeps
/// its plain name, a later one whose name is taken gets a suffix from a hash of its id, so no two tasks or templates share a name.
/// </summary>
internal sealed class JobNames
{
    private const int HashChars = 6;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public JobNames(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var name = Names.Of(id);
            if (!taken.Add(name))
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..HashChars];
                var stem = name.Length > 63 - HashChars - 1 ? name[..(63 - HashChars - 1)].TrimEnd('-') : name;
                name = $"{stem}-{hash}";
                taken.Add(name);
            }

            _names[id] = name;
        }
    }

    /// <summary>The job's name; an id not given at construction falls back to <see cref="Names.Of"/>.</summary>
    public string Of(string id) => _names.TryGetValue(id, out var name) ? name : Names.Of(id);
}
