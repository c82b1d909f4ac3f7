using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Agent.Policy;
using Microsoft.Extensions.Configuration;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Tests.Agent;

/// <summary>Tool policy: profiles, allow/deny with wildcards and groups, and the plan as a ceiling.</summary>
public sealed class ToolPolicyTests : IDisposable
{
    private static readonly string[] Catalog =
        ["read", "write", "edit", "apply_patch", "ls", "exec", "process", "web_fetch", "memory_get", "memory_search", "sessions_list", "sessions_send", "session_status", "cron", "nodes", "message"];

    private readonly AgentToolFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string[] Offered(ToolsConfig? tenant, string plan = "free")
    {
        var context = _fixture.Context(plan: plan);
        context.State.Profile.Config = new TenantConfigOverrides { Tools = tenant };
        var tools = Catalog.Select(name => (IAgentTool)new NamedTool(name)).ToArray();
        return ToolPolicy.ForRun(context, AgentToolFixture.Run(), tools).Select(tool => tool.Name).ToArray();
    }

    [Fact]
    public void Unset_policy_offers_every_tool() => Assert.Equal(Catalog, Offered(null));

    [Theory]
    [InlineData("minimal", new[] { "session_status" })]
    [InlineData("messaging", new[] { "sessions_list", "sessions_send", "session_status", "message" })]
    [InlineData("coding", new[] { "read", "write", "edit", "apply_patch", "ls", "exec", "process", "web_fetch", "memory_get", "memory_search", "sessions_list", "sessions_send", "session_status", "cron" })]
    [InlineData("full", null)]
    public void Profiles_pick_their_tools(string profile, string[]? expected) =>
        Assert.Equal(expected ?? Catalog, Offered(new ToolsConfig { Profile = profile }));

    [Fact]
    public void Deny_wins_and_matches_case_insensitively_with_wildcards_and_groups()
    {
        Assert.Equal(["read", "ls"], Offered(new ToolsConfig { Allow = ["READ", "ls", "exec"], Deny = ["Exec"] }));
        Assert.DoesNotContain("memory_get", Offered(new ToolsConfig { Deny = ["memory_*"] }));
        Assert.DoesNotContain("memory_search", Offered(new ToolsConfig { Deny = ["memory_*"] }));
        Assert.Equal(["read", "write", "edit", "apply_patch", "ls"], Offered(new ToolsConfig { Allow = ["group:fs"] }));
        Assert.Equal(["read", "ls"], Offered(new ToolsConfig { Allow = ["group:fs"], Deny = ["w*", "*patch", "e?it", "edit"] }));
        Assert.DoesNotContain("exec", Offered(new ToolsConfig { Deny = ["group:runtime"] }));
        Assert.DoesNotContain("nodes", Offered(new ToolsConfig { Deny = ["group:nodes"] }));
        Assert.Contains("apply_patch", Offered(new ToolsConfig { Deny = ["write"] })); // as OpenClaw: write does not imply apply_patch
        Assert.Empty(Offered(new ToolsConfig { Deny = ["*"] }));
    }

    [Fact]
    public void The_plan_is_a_ceiling_a_tenant_can_narrow_but_never_widen()
    {
        _fixture.Options.ToolPlans["free"] = new ToolsConfig { Profile = "coding", Deny = ["group:runtime"] };
        _fixture.Options.ToolPlans["*"] = new ToolsConfig { Profile = "minimal" };

        Assert.DoesNotContain("exec", Offered(null, plan: "free"));
        Assert.DoesNotContain("exec", Offered(new ToolsConfig { Profile = "full", Allow = ["exec", "*"] }, plan: "free"));
        Assert.DoesNotContain("message", Offered(new ToolsConfig { Allow = ["message"] }, plan: "free"));
        Assert.Equal(["read"], Offered(new ToolsConfig { Allow = ["read"] }, plan: "free"));
    }

    [Fact]
    public void Plans_not_listed_get_the_star_policy()
    {
        _fixture.Options.ToolPlans["*"] = new ToolsConfig { Allow = ["read", "ls"] };

        Assert.Equal(["read", "ls"], Offered(null, plan: "enterprise"));
    }

    [Fact]
    public void Invalid_policies_are_described()
    {
        Assert.Null(ToolsConfigRules.Problem(new ToolsConfig { Profile = "coding", Allow = ["group:fs", "memory_*"] }, "tools"));
        Assert.Contains("profile", ToolsConfigRules.Problem(new ToolsConfig { Profile = "everything" }, "tools"));
        Assert.Contains("at most", ToolsConfigRules.Problem(new ToolsConfig { Deny = [new string('a', 101)] }, "tools"));
        Assert.Contains("more than 64", ToolsConfigRules.Problem(new ToolsConfig { Deny = [.. Enumerable.Repeat("x", 65)] }, "tools"));
        Assert.NotNull(ToolsConfigRules.Problem(new ToolsConfig { Allow = ["rm -rf"] }, "tools"));
    }

    [Fact]
    public void Plan_policies_bind_from_configuration_and_are_validated()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["multiTenant:userGrain:toolPlans:free:profile"] = "coding",
            ["multiTenant:userGrain:toolPlans:free:deny:0"] = "group:runtime",
            ["multiTenant:userGrain:toolPlans:*:allow:0"] = "read",
        }).Build();
        var options = new UserGrainOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(UserGrainOptions.SectionName), options);

        Assert.Equal("coding", options.ToolPlans["FREE"].Profile);
        Assert.Equal(["group:runtime"], options.ToolPlans["free"].Deny!);
        Assert.Equal(["read"], ToolPolicy.PlanPolicy(options, "pro")!.Allow!);
        Assert.True(new UserGrainOptionsValidator().Validate(null, options).Succeeded);

        options.ToolPlans["bad"] = new ToolsConfig { Profile = "root" };
        Assert.True(new UserGrainOptionsValidator().Validate(null, options).Failed);
    }

    private sealed class NamedTool(string name) : IAgentTool
    {
        public string Name => name;

        public string Description => name;

        public string ParametersJson => "{}";

        public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken) =>
            Task.FromResult(ToolResult.Ok(name));
    }
}
