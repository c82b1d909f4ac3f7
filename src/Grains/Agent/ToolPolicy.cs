using OpenClaw.Grains.Agent.Policy;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent;

/// <summary>
/// Which of the catalog's tools a run may use (tools the policy removes are not sent to the model
/// at all). Two layers, both must allow a tool: the operator's policy for the tenant's plan
/// (<see cref="UserGrainOptions.ToolPlans"/>, <c>*</c> for plans not listed), then the tenant's own
/// <c>tools</c> config. Each layer: the profile's tools (unset or <c>full</c>: all), narrowed by
/// <c>allow</c> when it is non-empty, minus <c>deny</c> (deny wins). A tenant can only narrow its plan.
/// </summary>
internal static class ToolPolicy
{
    public static IReadOnlyList<IAgentTool> ForRun(GatewayContext context, ChatRun run, IReadOnlyList<IAgentTool> tools)
    {
        var plan = PlanPolicy(context.Options, context.Tenant?.Plan);
        var tenant = context.Config.Tools;
        return tools.Where(tool => Allows(plan, tool.Name) && Allows(tenant, tool.Name)).ToArray();
    }

    /// <summary>The operator's policy for <paramref name="plan"/>, else its <c>*</c> policy, else none.</summary>
    public static ToolsConfig? PlanPolicy(UserGrainOptions options, string? plan)
    {
        var plans = options.ToolPlans;
        if (plans is null)
        {
            return null;
        }

        if (plan is not null && plans.TryGetValue(plan, out var policy))
        {
            return policy;
        }

        return plans.TryGetValue("*", out var fallback) ? fallback : null;
    }

    public static bool Allows(ToolsConfig? policy, string toolName)
    {
        if (policy is null)
        {
            return true;
        }

        if (policy.Deny is { Count: > 0 } deny && ToolPattern.MatchesAny(deny, toolName))
        {
            return false;
        }

        if (policy.Profile is { } profile && ToolGroups.Profile(profile) is { } members && !ToolPattern.MatchesAny(members, toolName))
        {
            return false;
        }

        return policy.Allow is not { Count: > 0 } allow || ToolPattern.MatchesAny(allow, toolName);
    }
}
