using System.Text;

namespace GradientNode.Core.Specs;

/// <summary>
/// Deployment names and their slugs. A name is 1–128 printable characters (spaces allowed, trimmed);
/// its slug is the lowercase DNS label (<c>[a-z0-9-]</c>, at most 63) used as the key, the host label
/// and part of container names: runs of other characters become one <c>-</c>.
/// </summary>
public static class DeploymentName
{
    public const int MaxNameLength = 128;
    public const int MaxSlugLength = 63;

    /// <summary>Returns null when the name is acceptable, else why not.</summary>
    public static string? Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "name must not be empty";
        }

        if (name.Trim().Length > MaxNameLength)
        {
            return $"name must be at most {MaxNameLength} characters";
        }

        if (name.Any(char.IsControl))
        {
            return "name must not contain control characters";
        }

        if (ToSlug(name).Length == 0)
        {
            return "name must contain at least one ASCII letter or digit (a-z, 0-9): the slug, the host name of the endpoint, keeps only those";
        }

        return null;
    }

    /// <summary>"My Cool  Deployment!" → "my-cool-deployment".</summary>
    public static string ToSlug(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingDash = false;
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingDash && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingDash = false;
                builder.Append(c);
            }
            else
            {
                pendingDash = true;
            }
        }

        var slug = builder.ToString();
        return slug.Length <= MaxSlugLength ? slug : slug[..MaxSlugLength].TrimEnd('-');
    }

    /// <summary>The name a legacy spec without <c>name</c> takes: its file stem.</summary>
    public static string FromFile(string path) => Path.GetFileNameWithoutExtension(path);
}
