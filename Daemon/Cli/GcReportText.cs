using System.Globalization;
using GradientNode.Core.Integrations;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>datasets gc</c> for people: one line with the counts and the disk it freed (or, with <c>--dry-run</c>, would free),
/// then one line per thing with its size and why it goes. The freed figure is what the disk gets back
/// (<see cref="StorageGcReport.FreedBytes"/>); a thing's own size counts its files in full, shared ones too.
/// </summary>
internal static class GcReportText
{
    public static IReadOnlyList<string> Lines(StorageGcReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = string.Create(CultureInfo.InvariantCulture,
            $"{Count(report.Versions.Count, "dataset version")}, {Count(report.Staging, "staging folder")}, {Count(report.Objects, "unshared file")}, {Count(report.Cache.Count, "integration-cache folder")}{(report.EmptyDatasets.Count > 0 ? ", " + Count(report.EmptyDatasets.Count, "empty dataset") : string.Empty)}");
        var lines = new List<string>
        {
            report.DryRun
                ? $"dry run, nothing was removed: a pass now would remove {counts} and free {SizeText.Of(report.FreedBytes)} of disk"
                : $"removed {counts}: {SizeText.Of(report.FreedBytes)} of disk freed",
        };
        lines.AddRange(report.Items.Select(i => i.Kind switch
        {
            "objects" => $"  {i.Name} shared files ({SizeText.Of(i.Bytes)}): {i.Reason}",
            _ => $"  {i.Kind} {i.Name} ({SizeText.Of(i.Bytes)}): {i.Reason}",
        }));
        if (report.Items.Count > 0)
        {
            lines.Add("  (a size counts a thing's files in full; the disk figure counts each file once, and only when no name of it stays)");
        }

        return lines;
    }

    private static string Count(int count, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {what}{(count == 1 ? string.Empty : "s")}");
}
