using System.Globalization;
using System.Text.RegularExpressions;

namespace GradientNode.Core.Common;

/// <summary>
/// The kept-aside copies of one damaged state file (<c>FILE.damaged-&lt;yyyyMMddTHHmmssZ&gt;</c>, with <c>-N</c> when two fell
/// in one second), as <see cref="StateFileDamage.KeepAside"/> names them. Only names of exactly that shape, next to the
/// file and plain files, are ever deleted: nothing else in the folder is touched.
/// </summary>
public static partial class DamagedCopies
{
    /// <summary>
    /// Deletes the copies of <paramref name="path"/> beyond the newest <paramref name="keep"/> (by the time and number in
    /// their names), never <paramref name="justKept"/> (a wall clock stepped back gives it an older name than those before
    /// it). Best effort: a copy that cannot be deleted stays, and the next one kept tries again.
    /// </summary>
    public static void Prune(string path, string justKept, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var copies = Of(path).Where(c => c.Path != Path.GetFullPath(justKept));
        foreach (var (old, _, _) in copies.OrderByDescending(c => c.Stamp, StringComparer.Ordinal).ThenByDescending(c => c.Number).Skip(keep - 1))
        {
            AtomicFile.TryDelete(old); // one left behind: the next copy kept tries again
        }
    }

    /// <summary>The highest number among the copies of <paramref name="path"/> kept in the second <paramref name="stamp"/> (1 for the first, which has none); 0 when there is none.</summary>
    public static int LastNumber(string path, string stamp) =>
        Of(path).Where(c => c.Stamp == stamp).Select(c => c.Number).DefaultIfEmpty(0).Max();

    private static List<(string Path, string Stamp, int Number)> Of(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var prefix = Path.GetFileName(path) + ".damaged-";
        try
        {
            return [.. Directory.EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly)
                .Select(file => (File: Path.GetFullPath(file), Name: Path.GetFileName(file)))
                .Where(f => f.Name.StartsWith(prefix, StringComparison.Ordinal))
                .Select(f => (f.File, Match: Suffix().Match(f.Name[prefix.Length..])))
                .Where(f => f.Match.Success && new FileInfo(f.File).LinkTarget is null)
                .Select(f => (f.File, f.Match.Groups["stamp"].Value, f.Match.Groups["n"].Success ? int.Parse(f.Match.Groups["n"].Value, CultureInfo.InvariantCulture) : 1))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"^(?<stamp>[0-9]{8}T[0-9]{6}Z)(-(?<n>[0-9]{1,9}))?\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Suffix();
}
