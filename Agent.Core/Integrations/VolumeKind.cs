namespace GradientNode.Core.Integrations;

public enum VolumeKind
{
    /// <summary>Downloaded once into the content-keyed cache (<c>git-lfs</c>, <c>s3</c>, <c>spaces</c>), mounted read-only.</summary>
    Fetched,

    /// <summary>Cloned into a version of a local dataset (legacy <c>repositories</c>), mounted read-only.</summary>
    Dataset,

    /// <summary>A version of a model in the local model store, mounted read-only.</summary>
    Model,

    /// <summary>A named read-write volume of the deployment, shared by its replicas.</summary>
    Named,
}
