using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace GradientNode.Core.Export;

/// <summary>Writes multi-line strings (scripts, shell commands) as literal blocks, so they read as they were written.</summary>
internal sealed class LiteralMultilineEmitter(IEventEmitter next) : ChainedEventEmitter(next)
{
    public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(eventInfo);
        if (eventInfo.Source.Value is string text && text.Contains('\n', StringComparison.Ordinal))
        {
            eventInfo.Style = ScalarStyle.Literal;
        }

        base.Emit(eventInfo, emitter);
    }
}
