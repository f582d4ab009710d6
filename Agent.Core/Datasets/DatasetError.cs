namespace GradientNode.Core.Datasets;

/// <summary>Why a dataset operation was refused; the API maps each to one HTTP status.</summary>
public enum DatasetError
{
    /// <summary>A bad name, tag or reference (400).</summary>
    Invalid,

    /// <summary>No such dataset, version, tag or write (404).</summary>
    NotFound,

    /// <summary>The dataset exists already, or the version is empty where content is needed (409).</summary>
    Conflict,

    /// <summary>A running job or replica uses the version, or a workflow run holds it (409), named in the message.</summary>
    InUse,

    /// <summary>
    /// A file of the store is damaged and could not be repaired (500): the message names the file, what is wrong with it
    /// and why the repair failed (a full disk, no permission).
    /// </summary>
    Damaged,
}
