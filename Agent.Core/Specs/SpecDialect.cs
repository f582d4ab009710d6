namespace GradientNode.Core.Specs;

/// <summary>The two spec shapes Gradient accepts (GRADIENT-SEMANTICS §1).</summary>
public enum SpecDialect
{
    /// <summary><c>apiVersion</c> v1, latest or v0alpha1: <c>resources.machineType</c>, <c>resources.ports</c>, integrations.</summary>
    Current,

    /// <summary><c>apiVersion</c> v0alpha0, or none with <c>port</c>/<c>resources.instanceType</c>: models and repositories.</summary>
    Legacy,
}
