namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A time filter: the event time within [Start, Stop) on its day ("HH:MM:SS"; Stop before Start crosses midnight), in UTC or <paramref name="TimeZone"/>.</summary>
public sealed record TimeFilter(string Start, string Stop, string? TimeZone);
