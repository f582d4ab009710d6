using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// One probe: HTTP <c>{path, port?, host?, headers?, timings}</c> or exec <c>{exec: {command}, timings}</c>.
/// Timings default to 0/10/1/3 (initialDelay/period/timeout/failureThreshold).
/// </summary>
internal static class ProbeReader
{
    private static readonly string[] Keys = SpecShapes.Probe.Keys;

    private static readonly string[] HttpOnlyKeys = ["path", "port", "host", "headers"];
    private static readonly string[] ExecKeys = SpecShapes.ProbeExec.Keys;
    private static readonly string[] HeaderKeys = SpecShapes.Header.Keys;

    public static ProbeSpec? Read(SpecReader reader, YamlNode node, string field)
    {
        if (ValueReader.Mapping(reader, node, field) is not { } mapping)
        {
            return null;
        }

        var probe = new MappingReader(reader, mapping, field, Keys);
        var errors = reader.ErrorCount;
        var timings = ReadTimings(probe);
        var spec = probe.Has("exec") ? ReadExec(probe, timings) : ReadHttp(probe, timings);
        return reader.ErrorCount == errors ? spec : null;
    }

    private static ProbeSpec ReadTimings(MappingReader probe) => new()
    {
        InitialDelaySeconds = Seconds(probe, "initialDelaySeconds", 0) ?? ProbeSpec.DefaultInitialDelaySeconds,
        PeriodSeconds = Seconds(probe, "periodSeconds", 1) ?? ProbeSpec.DefaultPeriodSeconds,
        TimeoutSeconds = Seconds(probe, "timeoutSeconds", 1) ?? ProbeSpec.DefaultTimeoutSeconds,
        FailureThreshold = AtLeast(probe, "failureThreshold", 1) ?? ProbeSpec.DefaultFailureThreshold,
    };

    private static ProbeSpec? ReadExec(MappingReader probe, ProbeSpec timings)
    {
        foreach (var key in HttpOnlyKeys.Where(probe.Has))
        {
            probe.Reader.Error(probe.Key(key)!, $"{probe.Field(key)}: an exec probe cannot also have '{key}'");
        }

        if (probe.Mapping("exec", required: true) is not { } execNode)
        {
            return null;
        }

        var exec = new MappingReader(probe.Reader, execNode, probe.Field("exec"), ExecKeys);
        var command = exec.StringList("command");
        if (command is null)
        {
            if (!exec.Has("command") || exec.Value("command") is null)
            {
                exec.Missing("command");
            }

            return null;
        }

        if (command.Value.IsEmpty)
        {
            exec.Error("command", "must not be empty");
            return null;
        }

        return timings with { Action = ProbeAction.Exec, ExecCommand = command.Value };
    }

    private static ProbeSpec? ReadHttp(MappingReader probe, ProbeSpec timings)
    {
        var path = probe.String("path", required: true);
        if (path is not null && !path.StartsWith('/'))
        {
            probe.Error("path", "must start with '/'");
        }

        var port = probe.Int("port");
        if (port is { } p && PortRule.Check(p) is { } problem)
        {
            probe.Error("port", problem);
        }

        var headers = EquatableArray<HeaderSpec>.Empty;
        if (probe.Sequence("headers") is { } sequence)
        {
            headers = new(ListReader.ReadMappings(probe.Reader, sequence, probe.Field("headers"), HeaderKeys, (item, _) =>
            {
                var name = item.String("name", required: true);
                var value = item.String("value", required: true);
                if (name is not null && HeaderRules.CheckName(name) is { } badName)
                {
                    item.Error("name", badName);
                    name = null;
                }

                if (value is not null && HeaderRules.CheckValue(value) is { } badValue)
                {
                    item.Error("value", badValue);
                    value = null;
                }

                return name is null || value is null ? null : new HeaderSpec(name, value);
            }));
        }

        var host = probe.String("host");
        if (host is not null && HeaderRules.CheckHost(host) is { } badHost)
        {
            probe.Error("host", badHost);
        }

        return path is null ? null : timings with { Path = path, Port = port, Host = host, Headers = headers };
    }

    private static int? Seconds(MappingReader probe, string key, int minimum)
    {
        var value = AtLeast(probe, key, minimum);
        if (value > ProbeSpec.MaxSeconds)
        {
            probe.Error(key, $"must be at most {ProbeSpec.MaxSeconds} (one day), got {value}");
        }

        return value;
    }

    private static int? AtLeast(MappingReader probe, string key, int minimum)
    {
        var value = probe.Int(key);
        if (value < minimum)
        {
            probe.Error(key, $"must be at least {minimum}, got {value}");
        }

        return value;
    }
}
