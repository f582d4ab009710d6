namespace GradientNode.Core.Specs;

public enum ProbeAction
{
    Http,
    Exec,
}
