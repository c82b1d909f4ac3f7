using System.Globalization;

namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary>Number formatting for alert messages (invariant culture, at most one decimal).</summary>
internal static class RuleText
{
    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";

    /// <summary>Text from outside (an error message) cut to a length that fits a notification.</summary>
    public static string Excerpt(string? text, int max = 200)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= max ? single : single[..max] + "…";
    }
}
