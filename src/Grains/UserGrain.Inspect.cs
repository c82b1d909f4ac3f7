using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains;

/// <summary>The operators' read-only view of this activation (<see cref="IUserGrainInspect"/>): counts, no content.</summary>
public sealed partial class UserGrain : IUserGrainInspect
{
    public Task<UserGrainActivity> GetActivity(CancellationToken cancellationToken)
    {
        var usage = _context.State.Profile.Usage.Totals;
        var lastSessionMs = _context.Sessions.Count == 0 ? 0 : _context.Sessions.ListByRecency().First().UpdatedAt;
        var lastRunMs = usage.Count == 0 ? 0 : usage.Max(u => u.LastUsedAt);
        var lastMs = Math.Max(lastSessionMs, lastRunMs);
        return Task.FromResult(new UserGrainActivity
        {
            TenantId = _context.TenantId,
            Loaded = _context.Tenant is not null,
            UnavailableReason = _context.Tenant is null ? _context.UnavailableReason : null,
            Sessions = _context.Sessions.Count,
            ActiveRuns = _context.Runs.ActiveCount,
            Subscribers = _connections.Count,
            InputTokensTotal = usage.Sum(u => u.InputTokens),
            OutputTokensTotal = usage.Sum(u => u.OutputTokens),
            RunsTotal = usage.Sum(u => u.Runs),
            LastActivityAt = lastMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastMs) : null,
        });
    }
}
