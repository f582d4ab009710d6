using System.Security.Cryptography;
using System.Text;

namespace GradientNode.Core.Export;

/// <summary>
/// Kubernetes names that must differ within one object (a pod's volumes, its containers, the claims of one spec) but
/// come from texts that may differ only where a name cannot (<c>Weights_A</c> and <c>weights-a</c>, or past the 63rd
/// character): the first keeps its plain name, a later one whose name is taken gets <c>-</c> and 6 hex digits of a hash
/// of its text. <see cref="JobNames"/> names jobs with it.
/// </summary>
internal sealed class UniqueNames(params string[] taken)
{
    private const int HashChars = 6;
    private readonly HashSet<string> _taken = new(taken, StringComparer.Ordinal);

    public string Of(string text)
    {
        var name = Names.Of(text);
        if (_taken.Add(name))
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashChars];
        var stem = name.Length > 63 - HashChars - 1 ? name[..(63 - HashChars - 1)].TrimEnd('-') : name;
        name = $"{stem}-{hash}";
        _taken.Add(name);
        return name;
    }
}
