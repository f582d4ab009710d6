using System.Security.Cryptography;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A throwaway system group with a member (and, when asked, a user outside it) for the tests of the socket group's
/// powers, made with <c>groupadd</c>/<c>useradd</c> as root. Their removal goes to the test's cleanup commands, which its
/// TearDown runs.
/// </summary>
internal static class ThrowawayUsers
{
    public static async Task<(string Group, string Member, string Stranger)> CreateAsync(List<string> cleanup, bool withStranger = false)
    {
        ArgumentNullException.ThrowIfNull(cleanup);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var group = $"gn-test-g{id}";
        var member = $"gn-test-m{id}";
        var stranger = $"gn-test-s{id}";
        cleanup.Add(withStranger ? $"userdel {member}; userdel {stranger}; groupdel {group}" : $"userdel {member}; groupdel {group}");
        var commands = new List<string> { $"groupadd --system {group}", $"useradd --system --no-create-home -G {group} {member}" };
        if (withStranger)
        {
            commands.Add($"useradd --system --no-create-home {stranger}");
        }

        foreach (var command in commands)
        {
            var (code, output) = await ShellTool.RunAsync("/bin/sh", ["-c", command]);
            Assert.That(code, Is.Zero, $"{command}: {output}");
        }

        return (group, member, stranger);
    }
}
