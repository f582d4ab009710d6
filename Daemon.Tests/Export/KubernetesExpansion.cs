using System.Text;

namespace GradientNode.Tests.Export;

/// <summary>
/// What the kubelet does to a container's command, args and env values (Kubernetes'
/// <c>third_party/forked/golang/expansion</c>): <c>$(NAME)</c> becomes NAME's value when NAME is defined, else stays;
/// <c>$$</c> becomes <c>$</c>; any other <c>$</c> stays.
/// </summary>
internal static class KubernetesExpansion
{
    public static string Expand(string input, IReadOnlyDictionary<string, string> env)
    {
        var output = new StringBuilder();
        var cursor = 0;
        while (cursor < input.Length)
        {
            if (input[cursor] != '$' || cursor + 1 >= input.Length)
            {
                output.Append(input[cursor++]);
                continue;
            }

            var next = input[cursor + 1];
            var close = next == '(' ? input.IndexOf(')', cursor + 2) : -1;
            if (next == '$')
            {
                output.Append('$');
                cursor += 2;
            }
            else if (close > 0)
            {
                var name = input[(cursor + 2)..close];
                output.Append(env.TryGetValue(name, out var value) ? value : $"$({name})");
                cursor = close + 1;
            }
            else
            {
                output.Append('$').Append(next);
                cursor += 2;
            }
        }

        return output.ToString();
    }
}
