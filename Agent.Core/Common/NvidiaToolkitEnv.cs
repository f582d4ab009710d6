using System.Collections.Frozen;

namespace GradientNode.Core.Common;

/// <summary>
/// The variables the NVIDIA Container Toolkit reads from a container's environment (the spec's and the image's own
/// <c>ENV</c> alike) besides <c>NVIDIA_VISIBLE_DEVICES</c> (<see cref="Engine.GpuVisibility"/>), and what the node lets a
/// spec set. <c>NVIDIA_MIG_CONFIG_DEVICES</c>/<c>NVIDIA_MIG_MONITOR_DEVICES</c> give control of the GPUs' MIG
/// configuration (the toolkit's hook refuses them outside privileged containers, failing the start); and
/// <c>NVIDIA_IMEX_CHANNELS</c>, <c>NVIDIA_GDRCOPY</c>, <c>NVIDIA_GDS</c>, <c>NVIDIA_MOFED</c> and <c>NVIDIA_NVSWITCH</c>
/// have the hook add host devices that no tenant owns (IMEX channels, <c>/dev/gdrdrv</c>, <c>/dev/nvidia-fs*</c>,
/// <c>/dev/infiniband/*</c>, <c>/dev/nvidia-nvswitch*</c>). A spec may set none of them (the parsers refuse them at the
/// line); every container gets <see cref="Forced"/> after its spec's env, which overrides the image's values.
/// <c>NVIDIA_DRIVER_CAPABILITIES</c> only picks which driver libraries come with the GPUs a container was given: a spec
/// may name <see cref="AllowedCapabilities"/>, or <c>all</c>, which the node narrows to them (<see cref="Narrowed"/>: many
/// specs and guides write <c>all</c>); <c>display</c> (the host's modeset device) is refused.
/// <c>NVIDIA_VISIBLE_DEVICES</c> is accepted as it always was and never wins (<see cref="Engine.GpuVisibility"/>).
/// <c>NVIDIA_REQUIRE_*</c> and <c>NVIDIA_DISABLE_REQUIRE</c> only make a start fail or not on an old driver: allowed.
/// </summary>
public static class NvidiaToolkitEnv
{
    public const string Capabilities = "NVIDIA_DRIVER_CAPABILITIES";

    /// <summary>What a GPU container gets when its spec names no capabilities (the toolkit's own default).</summary>
    public const string DefaultCapabilities = "compute,utility";

    /// <summary>The toolkit's word for every capability it knows, <c>display</c> included: the node narrows it (<see cref="Narrowed"/>).</summary>
    public const string AllCapabilities = "all";

    private static readonly string[] Allowed = ["compute", "compat32", "graphics", "utility", "video", "ngx"];

    public static readonly FrozenSet<string> AllowedCapabilities = Allowed.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What <c>all</c> becomes: every allowed capability, <c>display</c> left out.</summary>
    public static readonly string AllAllowedCapabilities = string.Join(',', Allowed);

    /// <summary>
    /// Appended to every container's env. A bare name is dockerd's "unset": it replaces the image's value and is left
    /// out of the process's environment (the MIG variables count by being present at all, so no value turns them off).
    /// </summary>
    public static readonly IReadOnlyList<string> Forced =
    [
        "NVIDIA_MIG_CONFIG_DEVICES",
        "NVIDIA_MIG_MONITOR_DEVICES",
        "NVIDIA_IMEX_CHANNELS=void",
        "NVIDIA_GDRCOPY=disabled",
        "NVIDIA_GDS=disabled",
        "NVIDIA_MOFED=disabled",
        "NVIDIA_NVSWITCH=disabled",
    ];

    private static readonly FrozenSet<string> ForcedNames = Forced.Select(NameOf).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Why a spec may not set <paramref name="name"/> to <paramref name="literal"/> (null for a secret reference); null when it may.</summary>
    public static string? Refusal(string name, string? literal)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name is "NVIDIA_MIG_CONFIG_DEVICES" or "NVIDIA_MIG_MONITOR_DEVICES")
        {
            return $"{name} asks the NVIDIA Container Toolkit for control of the GPUs' MIG configuration, which the node gives no container; it unsets it in every container";
        }

        if (ForcedNames.Contains(name))
        {
            return $"{name} asks the NVIDIA Container Toolkit for host devices the node gives no container; it sets {Forced.First(f => NameOf(f) == name)} in every container";
        }

        if (name != Capabilities)
        {
            return null;
        }

        return literal is null
            ? $"{name} must be written in the spec, not a secret reference: the node checks its value"
            : CapabilitiesAllowed(literal) ? null
            : $"{name}: '{literal}' is not 'all' or a list of {string.Join(", ", AllowedCapabilities.Order(StringComparer.Ordinal))} ('display' is refused: it gives the host's modeset device; 'all' means all of these)";
    }

    /// <summary>True for <c>all</c> or a comma-separated list of <see cref="AllowedCapabilities"/> (spaces around names allowed, at least one).</summary>
    public static bool CapabilitiesAllowed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var names = value.Split(',', StringSplitOptions.TrimEntries);
        return names.Length > 0 && (names is [AllCapabilities] || names.All(AllowedCapabilities.Contains));
    }

    /// <summary><paramref name="value"/>, with <c>all</c> narrowed to <see cref="AllAllowedCapabilities"/>.</summary>
    public static string Narrowed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim() == AllCapabilities ? AllAllowedCapabilities : value;
    }

    /// <summary>The variable's name in an env entry (<c>NAME=value</c> or a bare <c>NAME</c>).</summary>
    public static string NameOf(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? entry : entry[..equals];
    }

    /// <summary>True for an entry the node sets itself in every container (a spec's or an earlier one is dropped).</summary>
    public static bool IsForced(string entry) => ForcedNames.Contains(NameOf(entry));
}
