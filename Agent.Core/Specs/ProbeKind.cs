namespace GradientNode.Core.Specs;

public enum ProbeKind
{
    Http,
    Exec,
}
