using System.Globalization;
using System.Text;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A fake <c>nvidia-smi</c> script in a temp dir, printing what the real one prints for a box of A100-80G GPUs:
/// the <c>--query-gpu … --format=csv,noheader,nounits</c> lines and the <c>-L</c> list. Put <see cref="Dir"/> first on PATH.
/// </summary>
internal sealed class FakeNvidiaSmi : IDisposable
{
    public FakeNvidiaSmi(int gpus)
    {
        Dir = Directory.CreateTempSubdirectory("gn-fake-smi-").FullName;
        Uuids = [.. Enumerable.Range(0, gpus).Select(i => $"GPU-{i:x8}-8c4e-1f0a-2b3c-4d5e6f7081{i:x2}")];
        var csv = new StringBuilder();
        var list = new StringBuilder();
        for (var i = 0; i < gpus; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i}, {Uuids[i]}, NVIDIA A100-SXM4-80GB, 81920, {i * 100}, {i * 10}, Enabled, {40 + i}\n");
            list.Append(CultureInfo.InvariantCulture, $"GPU {i}: NVIDIA A100-SXM4-80GB (UUID: {Uuids[i]})\n");
        }

        File.WriteAllText(Path.Combine(Dir, "query.csv"), csv.ToString());
        File.WriteAllText(Path.Combine(Dir, "list.txt"), list.ToString());
        var script = Path.Combine(Dir, "nvidia-smi");
        File.WriteAllText(script, $"""
            #!/bin/sh
            case "$1" in
              -L) cat '{Dir}/list.txt' ;;
              --query-gpu=*) cat '{Dir}/query.csv' ;;
              *) echo "fake nvidia-smi: $*" ;;
            esac

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }

    public string Dir { get; }

    public IReadOnlyList<string> Uuids { get; }

    /// <summary>PATH with the fake first.</summary>
    public string SearchPath => $"{Dir}:{Environment.GetEnvironmentVariable("PATH")}";

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
