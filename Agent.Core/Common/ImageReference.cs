using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace GradientNode.Core.Common;

/// <summary>
/// A parsed image reference such as <c>registry:5000/ns/repo:tag@sha256:…</c>, following the Docker
/// reference grammar: the first path component is a registry host only when it contains a '.' or a ':'
/// or is <c>localhost</c>; otherwise the image lives on Docker Hub (<see cref="Registry"/> is null).
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultTag = "latest";

    private ImageReference(string? registry, string repository, string tag, bool hasExplicitTag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        HasExplicitTag = hasExplicitTag;
        Digest = digest;
    }

    /// <summary>Registry host (and port), e.g. <c>registry:5000</c>; null for Docker Hub.</summary>
    public string? Registry { get; }

    /// <summary>Path inside the registry, e.g. <c>ns/repo</c> (Docker Hub official images stay bare: <c>nginx</c>).</summary>
    public string Repository { get; }

    /// <summary>The tag; <see cref="DefaultTag"/> when none was written.</summary>
    public string Tag { get; }

    public bool HasExplicitTag { get; }

    /// <summary>e.g. <c>sha256:…</c>; null when the reference is not pinned.</summary>
    public string? Digest { get; }

    /// <summary>The name without tag or digest, as <c>fromImage</c> of a pull wants it.</summary>
    public string Name => Registry is null ? Repository : $"{Registry}/{Repository}";

    /// <summary>What a pull asks for: the digest when pinned, else the tag.</summary>
    public string TagOrDigest => Digest ?? Tag;

    public static ImageReference Parse(string reference) =>
        TryParse(reference, out var parsed, out var error)
            ? parsed
            : throw new FormatException($"invalid image reference '{reference}': {error}");

    public static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? parsed) =>
        TryParse(reference, out parsed, out _);

    public static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(reference))
        {
            error = "empty";
            return false;
        }

        var rest = reference.Trim();
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = $"bad digest '{digest}'";
                return false;
            }
        }

        string? registry = null;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = rest[(slash + 1)..];
                if (!RegistryPattern().IsMatch(registry))
                {
                    error = $"bad registry '{registry}'";
                    return false;
                }
            }
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0 && colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"bad tag '{tag}'";
                return false;
            }
        }

        if (!RepositoryPattern().IsMatch(rest))
        {
            error = $"bad repository '{rest}' (lowercase letters, digits, separators '.', '_', '-', '/')";
            return false;
        }

        if (registry is "docker.io" or "index.docker.io" or "registry-1.docker.io")
        {
            registry = null;
        }

        parsed = new ImageReference(registry, rest, tag ?? DefaultTag, tag is not null, digest);
        error = null;
        return true;
    }

    /// <summary>Canonical text: <c>[registry/]repository:tag[@digest]</c>.</summary>
    public override string ToString() => Digest is null ? $"{Name}:{Tag}" : HasExplicitTag ? $"{Name}:{Tag}@{Digest}" : $"{Name}@{Digest}";

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}\z")]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?\z")]
    private static partial Regex RegistryPattern();
}
