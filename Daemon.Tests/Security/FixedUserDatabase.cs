using GradientNode.Daemon.Security;

namespace GradientNode.Tests.Security;

/// <summary>Accounts fixed by a test, answering as glibc's files module would (supplementary groups list members by name).</summary>
internal sealed class FixedUserDatabase(IReadOnlyList<(string Name, uint Uid, uint Gid)> users, IReadOnlyList<(string Name, uint Gid, string[] Members)> groups) : IUserDatabase
{
    public uint? GroupId(string name) => groups.Where(g => g.Name == name).Select(g => (uint?)g.Gid).FirstOrDefault();

    public (string Name, uint PrimaryGid)? User(uint uid) => users.Where(u => u.Uid == uid).Select(u => ((string, uint)?)(u.Name, u.Gid)).FirstOrDefault();

    public IReadOnlyList<uint> GroupsOf(string name, uint primaryGid) =>
        [primaryGid, .. groups.Where(g => g.Members.Contains(name, StringComparer.Ordinal)).Select(g => g.Gid)];

    public (string Name, IReadOnlyList<string> Members)? Group(uint gid) =>
        groups.Where(g => g.Gid == gid).Select(g => ((string, IReadOnlyList<string>)?)(g.Name, g.Members)).FirstOrDefault();
}
