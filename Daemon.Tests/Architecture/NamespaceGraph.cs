using System.Reflection;
using System.Runtime.CompilerServices;

namespace GradientNode.Tests.Architecture;

/// <summary>
/// The namespace dependency graph of one assembly, read by reflection from its types' signatures: base types,
/// interfaces, fields, properties, events, constructor and method parameters and return types, and the types
/// their bodies name (<see cref="MethodBodyReader"/>); generic arguments, arrays and by-refs unwrapped. Namespaces are collapsed to their first
/// segment under <see cref="Root"/> (<c>GradientNode.Core.Specs.Parsing</c> counts as <c>Specs</c>).
/// </summary>
internal sealed class NamespaceGraph
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private NamespaceGraph(string root, SortedDictionary<string, SortedSet<string>> edges)
    {
        Root = root;
        Edges = edges;
    }

    /// <summary>The namespace prefix the graph covers, e.g. <c>GradientNode.Core</c>.</summary>
    public string Root { get; }

    /// <summary>From each namespace (short name) to the namespaces it uses.</summary>
    public SortedDictionary<string, SortedSet<string>> Edges { get; }

    public static NamespaceGraph Build(Assembly assembly, string root)
    {
        var edges = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (Short(type, root) is not { } from)
            {
                continue;
            }

            if (!edges.TryGetValue(from, out var targets))
            {
                targets = new SortedSet<string>(StringComparer.Ordinal);
                edges[from] = targets;
            }

            foreach (var used in Referenced(type).SelectMany(Unwrap))
            {
                if (Short(used, root) is { } to && to != from)
                {
                    targets.Add(to);
                }
            }
        }

        return new NamespaceGraph(root, edges);
    }

    /// <summary>Every edge as <c>From -&gt; To</c>, sorted.</summary>
    public IEnumerable<string> EdgeList() => Edges.SelectMany(e => e.Value.Select(to => $"{e.Key} -> {to}"));

    /// <summary>The graph as text, one namespace a line: <c>Specs -&gt; Common, Secrets</c>.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Edges.Select(e => $"{e.Key} -> {string.Join(", ", e.Value)}"));

    private static string? Short(Type type, string root)
    {
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[(root.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<Type> Referenced(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var i in type.GetInterfaces())
        {
            yield return i;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var e in type.GetEvents(Declared))
        {
            if (e.EventHandlerType is { } handler)
            {
                yield return handler;
            }
        }

        foreach (var ctor in type.GetConstructors(Declared))
        {
            foreach (var p in ctor.GetParameters())
            {
                yield return p.ParameterType;
            }

            foreach (var t in MethodBodyReader.Types(ctor))
            {
                yield return t;
            }
        }

        foreach (var method in type.GetMethods(Declared))
        {
            yield return method.ReturnType;
            foreach (var p in method.GetParameters())
            {
                yield return p.ParameterType;
            }

            foreach (var t in MethodBodyReader.Types(method))
            {
                yield return t;
            }
        }
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var t in Unwrap(element))
            {
                yield return t;
            }

            yield break;
        }

        if (type.IsGenericParameter || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return argument;
            }
        }
    }
}
