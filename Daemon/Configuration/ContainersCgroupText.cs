using System.Text.RegularExpressions;
using GradientNode.Core.Engine;
using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.Configuration;

/// <summary><c>--containers-cgroup</c>: a systemd slice name, a cgroupfs path, or <c>none</c> (empty) for the engine's default.</summary>
internal static partial class ContainersCgroupText
{
    public static string Parse(string value)
    {
        var text = value.Trim();
        if (text is "" or "none" or "off")
        {
            return "";
        }

        return SliceName().IsMatch(text) || (CgroupPath().IsMatch(text) && !text.Split('/').Any(p => p is "." or ".."))
            ? text
            : throw new UsageException($"--containers-cgroup wants a slice name such as {ContainersCgroup.DefaultSlice}, a cgroup path such as /gradient-node, or none; got '{value}'");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,200}\.slice\z")]
    private static partial Regex SliceName();

    [GeneratedRegex(@"^(/[A-Za-z0-9_][A-Za-z0-9_.:-]{0,100}){1,8}\z")]
    private static partial Regex CgroupPath();
}
