namespace GradientNode.Daemon.Cli.Wait;

/// <summary>Shows the facts of each status snapshot while <c>--wait</c> follows a rollout, then the end.</summary>
internal interface IProgressView
{
    void Show(IReadOnlyList<ProgressFact> facts);

    void Finish(string line);
}
