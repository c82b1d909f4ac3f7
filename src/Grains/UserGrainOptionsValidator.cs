using Microsoft.Extensions.Options;

namespace OpenClaw.Grains;

/// <summary>Refuses <see cref="UserGrainOptions"/> that would break the grain (checked at startup).</summary>
internal sealed class UserGrainOptionsValidator : IValidateOptions<UserGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, UserGrainOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string message)
        {
            if (!condition)
            {
                failures.Add(message);
            }
        }

        Require(options.MaxTranscriptMessages is >= 2 and <= 100_000, "MaxTranscriptMessages must be between 2 and 100000.");
        Require(options.MaxSessions is >= 1 and <= 100_000, "MaxSessions must be between 1 and 100000.");
        Require(options.MaxContextMessages >= 1, "MaxContextMessages must be at least 1.");
        Require(options.MaxMessageChars >= 1, "MaxMessageChars must be at least 1.");
        Require(options.MaxAnswerChars >= 1, "MaxAnswerChars must be at least 1.");
        Require(options.MaxStoredBytes >= 64 * 1024, "MaxStoredBytes must be at least 65536.");
        Require(options.LiveTextPacing >= TimeSpan.Zero && options.LiveTextPacing <= TimeSpan.FromSeconds(10), "LiveTextPacing must be between 0 and 10 seconds.");
        Require(options.MaxLiveTextChars >= 1, "MaxLiveTextChars must be at least 1.");
        Require(options.MaxRunEventBytes >= 64 * 1024, "MaxRunEventBytes must be at least 65536.");
        Require(options.RunTimeout > TimeSpan.Zero, "RunTimeout must be positive.");
        NodeOptions.Validate(options.Nodes, options.RunTimeout, failures);
        Require(options.MaxConcurrentRuns is >= 1 and <= 1000, "MaxConcurrentRuns must be between 1 and 1000.");
        Require(options.MaxOutputTokens is null or >= 1, "MaxOutputTokens must be at least 1 when set.");
        Require(options.IdempotencyWindow > TimeSpan.Zero, "IdempotencyWindow must be positive.");
        Require(options.IdempotencyMaxEntries is >= 1 and <= 100_000, "IdempotencyMaxEntries must be between 1 and 100000.");
        Require(options.RunOutcomeRetention > TimeSpan.Zero, "RunOutcomeRetention must be positive.");
        Require(options.MaxCallWait > TimeSpan.Zero, "MaxCallWait must be positive.");
        Require(options.UsageRetentionDays >= 1, "UsageRetentionDays must be at least 1.");
        Require(options.ContextTokens >= 1, "ContextTokens must be at least 1.");
        Require(!string.IsNullOrWhiteSpace(options.RuntimeVersion), "RuntimeVersion must be set.");
        Require(!string.IsNullOrWhiteSpace(options.IdentityFile), "IdentityFile must be set.");
        Require(options.MaxToolRounds is >= 1 and <= 1000, "MaxToolRounds must be between 1 and 1000.");
        Require(options.ToolTimeout > TimeSpan.Zero, "ToolTimeout must be positive.");
        Require(options.MaxToolResultChars is >= 100 and <= 10_000_000, "MaxToolResultChars must be between 100 and 10000000.");
        Require(options.MaxToolEventChars is >= 100 and <= 10_000_000, "MaxToolEventChars must be between 100 and 10000000.");
        Require(options.MaxToolDetailsBytes is >= 1024 and <= 64 * 1024 * 1024, "MaxToolDetailsBytes must be between 1024 and 67108864.");
        Require(options.ToolUpdateInterval >= TimeSpan.Zero && options.ToolUpdateInterval <= TimeSpan.FromMinutes(1), "ToolUpdateInterval must be between 0 and 1 minute.");
        foreach (var (plan, policy) in options.ToolPlans ?? [])
        {
            Require(policy is not null && Agent.Policy.ToolsConfigRules.Problem(policy, $"ToolPlans:{plan}") is null,
                $"ToolPlans:{plan} is invalid: {(policy is null ? "empty" : Agent.Policy.ToolsConfigRules.Problem(policy, $"ToolPlans:{plan}"))}.");
        }

        failures.AddRange(options.Cron.Validate());
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
