namespace OpenClaw.Bench.EdgeLoad;

/// <summary>One summary figure: the median over rounds, the per-round spread, and the target when there is one.</summary>
internal sealed record ReportLine(string Scenario, string Metric, string Median, string Spread, string Target);

/// <summary>Collects the summary figures of every scenario, printed as text and as a Markdown table.</summary>
internal sealed class Report
{
    private readonly List<ReportLine> _lines = [];

    public void Add(string scenario, string metric, IReadOnlyList<double> perRound, Func<double, string> format, string target = "")
    {
        var line = new ReportLine(scenario, metric, format(Stats.Median(perRound)), perRound.Count > 1 ? Stats.Range(perRound, format) : "", target);
        _lines.Add(line);
        Console.WriteLine($"  => {metric}: median {line.Median}{(line.Spread.Length > 0 ? $" (rounds {line.Spread})" : "")}{(target.Length > 0 ? $"  [{target}]" : "")}");
    }

    public void Note(string scenario, string text)
    {
        _lines.Add(new ReportLine(scenario, text, "", "", ""));
        Console.WriteLine($"  => {text}");
    }

    /// <summary>"target ≤ 20 ms: met" style text for a value and its bound.</summary>
    public static string Target(string what, double value, double bound, bool atMost, string unit = "ms") =>
        $"target {what} {(atMost ? "≤" : "≥")} {bound:N0} {unit}: {(double.IsNaN(value) ? "not measured" : (atMost ? value <= bound : value >= bound) ? "met" : "NOT met")}";

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("## Summary (Markdown)");
        output.WriteLine();
        output.WriteLine("| scenario | metric | median | rounds (min … max) | target |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var line in _lines)
            output.WriteLine($"| {line.Scenario} | {line.Metric} | {line.Median} | {line.Spread} | {line.Target} |");
    }
}
