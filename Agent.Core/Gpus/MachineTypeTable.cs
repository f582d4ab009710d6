using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Gpus;

/// <summary>
/// The machine types a spec's <c>resources.machineType</c> (or legacy <c>instanceType</c>) may name: the built-in
/// product table, with node.yaml's overrides and additions on top. Lookups ignore case.
/// </summary>
public sealed class MachineTypeTable
{
    private const long GiB = 1024L * 1024 * 1024;
    private readonly Dictionary<string, MachineType> _types;

    public MachineTypeTable(IEnumerable<MachineType> types, bool gpuModelMustMatch = false)
    {
        ArgumentNullException.ThrowIfNull(types);
        _types = new Dictionary<string, MachineType>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in types)
        {
            _types[type.Name] = type;
        }

        GpuModelMustMatch = gpuModelMustMatch;
    }

    /// <summary>The product's names with their GPU count, CPUs and memory (approximations of the public list).</summary>
    public static MachineTypeTable BuiltIn { get; } = new(BuiltInTypes());

    /// <summary>When true, a GPU type only gets GPUs whose nvidia-smi name matches its model.</summary>
    public bool GpuModelMustMatch { get; }

    /// <summary>CPU types first, each group in table order (built-ins, then additions).</summary>
    public IEnumerable<MachineType> All => _types.Values.OrderBy(t => t.HasGpus);

    public MachineType? Find(string name) => _types.GetValueOrDefault(name);

    /// <summary>The known names, for an "unknown machine type" message.</summary>
    public string KnownNames => string.Join(", ", All.Select(t => t.Name));

    /// <summary>A copy with <paramref name="overrides"/> replacing or adding types.</summary>
    public MachineTypeTable With(IEnumerable<MachineType> overrides, bool gpuModelMustMatch) =>
        new(_types.Values.Concat(overrides), gpuModelMustMatch);

    /// <summary>
    /// Null when the type is known, else the status message: the closest known name first when one is a single edit away
    /// (a typo: <c>A10O</c>, <c>P50000</c>), then all of them (<c>ls</c> shows the start of it, <c>get</c> and the API all of it).
    /// </summary>
    public string? Unknown(string name) => Find(name) is null
        ? $"resources.machineType '{name}' is not a known machine type; {DidYouMean(name)}known types: {KnownNames}"
        : null;

    /// <summary>
    /// <c>did you mean 'C9'? </c> (with the trailing space) when a known name is a single edit away from
    /// <paramref name="name"/>, else empty: two edits turn <c>Z9000</c> into <c>P4000</c>, where digits matter.
    /// </summary>
    public string DidYouMean(string name) =>
        KeySuggester.Suggest(name, _types.Values.Select(t => t.Name), maxDistance: 1) is { } close ? $"did you mean '{close}'? " : string.Empty;

    private static IEnumerable<MachineType> BuiltInTypes()
    {
        (string Name, int Cpus, int MemoryGiB)[] cpu = [("C3", 2, 2), ("C4", 2, 4), ("C5", 4, 8), ("C6", 8, 16), ("C7", 12, 30), ("C8", 16, 60), ("C9", 24, 120), ("C10", 32, 240)];
        foreach (var (name, cpus, memory) in cpu)
        {
            yield return new MachineType(name, 0, null, cpus, memory * GiB);
        }

        (string Name, string Model, int Cpus, int MemoryGiB, int[] Multi)[] gpu =
        [
            ("P4000", "P4000", 8, 30, [2, 4]),
            ("P5000", "P5000", 8, 30, [2, 4]),
            ("P6000", "P6000", 8, 30, [2, 4]),
            ("RTX4000", "RTX 4000", 8, 30, [2, 4]),
            ("RTX5000", "RTX 5000", 8, 30, [2, 4]),
            ("A4000", "A4000", 8, 45, [2, 4]),
            ("A5000", "A5000", 8, 45, [2, 4]),
            ("A6000", "A6000", 8, 45, [2, 4]),
            ("V100", "V100", 8, 30, [2, 4]),
            ("V100-32G", "V100 32GB", 8, 30, [2, 4]),
            ("A100", "A100", 12, 90, [2, 4, 8]),
            ("A100-80G", "A100 80GB", 12, 90, [2, 4, 8]),
            ("H100", "H100", 20, 250, [2, 4, 8]),
        ];
        foreach (var (name, model, cpus, memory, multi) in gpu)
        {
            yield return new MachineType(name, 1, model, cpus, memory * GiB);
            foreach (var n in multi)
            {
                yield return new MachineType($"{name}x{n}", n, model, cpus * n, memory * n * GiB);
            }
        }
    }
}
