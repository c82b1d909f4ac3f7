using Microsoft.Extensions.Options;

namespace OpenClaw.Silo.Memory;

/// <summary>Rejects unusable <see cref="MemoryReclaimOptions"/> at startup.</summary>
internal sealed class MemoryReclaimOptionsValidator : IValidateOptions<MemoryReclaimOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryReclaimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IntervalSeconds is < 0 or > MemoryReclaimOptions.MaxIntervalSeconds)
            failures.Add($"{MemoryReclaimOptions.SectionName}:{nameof(MemoryReclaimOptions.IntervalSeconds)} must be between 0 (off) and {MemoryReclaimOptions.MaxIntervalSeconds}.");
        if (options.MinimumCommittedMegabytes < 1)
            failures.Add($"{MemoryReclaimOptions.SectionName}:{nameof(MemoryReclaimOptions.MinimumCommittedMegabytes)} must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
