namespace GradientNode.Core.Datasets;

/// <summary>A refused dataset operation; <see cref="Exception.Message"/> names the dataset, version, tag or user.</summary>
public sealed class DatasetException : Exception
{
    public DatasetException()
    {
    }

    public DatasetException(string message)
        : base(message)
    {
    }

    public DatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatasetException(DatasetError error, string message)
        : base(message) => Error = error;

    public DatasetError Error { get; } = DatasetError.Invalid;
}
