namespace GradientNode.Core.Gpus;

/// <summary>nvidia-smi was found but failed (non-zero exit, timeout): the driver is broken, not absent.</summary>
public sealed class NvidiaSmiException(string message) : Exception(message);
