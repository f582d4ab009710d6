namespace GradientNode.Core.Common;

/// <summary>What <see cref="PosixFile.HardLink"/> did.</summary>
internal enum HardLinkOutcome
{
    /// <summary>The link was made.</summary>
    Linked,

    /// <summary>Nothing was made: the link's name exists (EEXIST).</summary>
    Exists,

    /// <summary>Nothing was made: the file has as many names as its file system allows (EMLINK; ext4: 65,000).</summary>
    TooManyLinks,
}
