using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Agent.Prompt;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Tests.Agent;

/// <summary>The system prompt assembled from the workspace bootstrap files (AGENT.md §1).</summary>
public sealed class SystemPromptBuilderTests : IDisposable
{
    private readonly AgentToolFixture _fixture = new();

    public SystemPromptBuilderTests()
    {
        _fixture.Template("AGENTS.md", "agents rules");
        _fixture.Template("SOUL.md", "soul text");
        _fixture.Template("IDENTITY.md", "identity text");
        _fixture.Template("USER.md", "user text");
    }

    public void Dispose() => _fixture.Dispose();

    private Task<string> BuildAsync(string sessionKey = "agent:main:main", RunKind kind = RunKind.Chat, string tenantId = "alice")
    {
        var context = _fixture.Context(tenantId);
        var run = AgentToolFixture.Run(sessionKey, kind);
        var session = new SessionRecord { Key = run.SessionKey.Value, AgentId = run.SessionKey.AgentId };
        return SystemPromptBuilder.BuildAsync(context, run, session, context.Tools, CancellationToken.None);
    }

    private static void AssertOrder(string prompt, params string[] parts)
    {
        var at = -1;
        foreach (var part in parts)
        {
            var next = prompt.IndexOf(part, at + 1, StringComparison.Ordinal);
            Assert.True(next > at, $"'{part}' is missing or out of order in:\n{prompt}");
            at = next;
        }
    }

    [Fact]
    public async Task Sections_and_files_come_in_OpenClaws_order()
    {
        await _fixture.Context().Workspace!.WriteTextAsync("MEMORY.md", "memory text", default);

        var prompt = await BuildAsync();

        AssertOrder(prompt,
            "You are a personal assistant running inside OpenClaw.",
            "## Tooling", "- apply_patch: ", "- edit: ", "- ls: ", "- read: ", "- write: ",
            "## Safety", "## Workspace", "# Project Context",
            "## AGENTS.md\nagents rules", "## SOUL.md\nsoul text", "## IDENTITY.md\nidentity text", "## USER.md\nuser text", "## MEMORY.md\nmemory text",
            "## Temporal Context\nCurrent date: 2026-01-01", "Time zone: UTC",
            "## Runtime\nRuntime: agent=main | session=agent:main:main | model=echo/echo-1");
        Assert.DoesNotContain("## Bootstrap Context Notice", prompt);
    }

    [Fact]
    public async Task The_prompt_names_no_host_path_or_host_detail()
    {
        _fixture.Template("AGENTS.md", "");
        File.Delete(Path.Join(_fixture.TemplateRoot, "SOUL.md"));

        var prompt = await BuildAsync();

        Assert.Contains("[MISSING] Expected at: SOUL.md", prompt);
        Assert.DoesNotContain(_fixture.WorkspaceRoot, prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(_fixture.TemplateRoot, prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.MachineName, prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.UserName + "@", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_files_are_marked_and_optional_ones_left_out()
    {
        foreach (var name in new[] { "AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md" })
        {
            File.Delete(Path.Join(_fixture.TemplateRoot, name));
        }

        var prompt = await BuildAsync();

        Assert.Contains("## AGENTS.md\n[MISSING] Expected at: AGENTS.md", prompt);
        Assert.Contains("## SOUL.md\n[MISSING] Expected at: SOUL.md", prompt);
        Assert.Contains("## IDENTITY.md\n[MISSING] Expected at: IDENTITY.md", prompt);
        // Tool descriptions may name the files (memory_search does); no section or marker may.
        Assert.DoesNotContain("## USER.md", prompt);
        Assert.DoesNotContain("## MEMORY.md", prompt);
        Assert.DoesNotContain("Expected at: USER.md", prompt);
        Assert.DoesNotContain("Expected at: MEMORY.md", prompt);
    }

    [Fact]
    public async Task The_legacy_identity_file_stands_in_for_a_missing_IDENTITY_md()
    {
        File.Delete(Path.Join(_fixture.TemplateRoot, "IDENTITY.md"));
        _fixture.Options.IdentityFile = "agent/IDENTITY.md";
        _fixture.Template("agent/IDENTITY.md", "legacy identity");

        Assert.Contains("## IDENTITY.md\nlegacy identity", await BuildAsync());
    }

    [Fact]
    public async Task A_tenants_own_identity_at_the_old_place_wins_over_the_templates()
    {
        await _fixture.Context().Workspace!.WriteTextAsync("agent/IDENTITY.md", "alice's own identity", default);

        Assert.Contains("## IDENTITY.md\nalice's own identity", await BuildAsync());
        Assert.Contains("## IDENTITY.md\nidentity text", await BuildAsync(tenantId: "bob"));

        await _fixture.Context().Workspace!.WriteTextAsync("IDENTITY.md", "alice's new identity", default);
        Assert.Contains("## IDENTITY.md\nalice's new identity", await BuildAsync());
    }

    [Fact]
    public async Task Files_are_capped_per_file_and_truncated_head_and_tail_with_the_notice()
    {
        var soul = "HEAD" + new string('s', 30_000) + "TAIL";
        _fixture.Template("SOUL.md", soul + "   \n\n");

        var prompt = await BuildAsync();

        Assert.Contains("## Bootstrap Context Notice", prompt);
        Assert.Contains("[...truncated, read SOUL.md for full content...]", prompt);
        Assert.Contains("…(truncated SOUL.md: kept 15000+5000 chars of 30008)…", prompt);
        var section = prompt[prompt.IndexOf("## SOUL.md\n", StringComparison.Ordinal)..prompt.IndexOf("## IDENTITY.md", StringComparison.Ordinal)];
        Assert.StartsWith("## SOUL.md\nHEAD", section);
        Assert.EndsWith("TAIL\n\n", section);
        Assert.InRange(section.Length, 20_000, 20_200);
    }

    [Fact]
    public async Task USER_md_is_capped_at_4000_characters()
    {
        _fixture.Template("USER.md", new string('u', 5000));

        var prompt = await BuildAsync();

        Assert.Contains("…(truncated USER.md: kept 3000+1000 chars of 5000)…", prompt);
    }

    [Fact]
    public async Task AGENTS_md_keeps_head_tail_and_a_policy_digest()
    {
        var middle = string.Concat(Enumerable.Range(0, 2000).Select(i => i == 1000 ? "Never push to main without tests.\n" : $"filler line {i} with some words\n"));
        _fixture.Template("AGENTS.md", "START\n" + middle + "END");

        var prompt = await BuildAsync();

        Assert.Contains("[Policy digest from AGENTS.md]\nNever push to main without tests.", prompt);
        Assert.Contains("…(truncated AGENTS.md: kept 9000+3000 chars of", prompt);
        Assert.Contains("## AGENTS.md\nSTART", prompt);
        Assert.Contains("END\n\n## SOUL.md", prompt);
    }

    [Fact]
    public async Task The_total_budget_is_60000_and_files_are_skipped_when_little_is_left()
    {
        _fixture.Template("AGENTS.md", new string('a', 20_000));
        _fixture.Template("SOUL.md", new string('s', 20_000));
        _fixture.Template("IDENTITY.md", new string('i', 19_950));
        _fixture.Template("USER.md", "user text that does not fit");

        var prompt = await BuildAsync();

        Assert.DoesNotContain("## USER.md", prompt);
        Assert.Contains("## Bootstrap Context Notice", prompt);
        Assert.Contains(new string('i', 19_950), prompt);
    }

    [Fact]
    public void The_budget_skips_files_under_64_remaining_characters()
    {
        var budget = new BootstrapBudget();
        Assert.NotNull(budget.Fit("AGENTS.md", new string('a', 20_000)));
        Assert.NotNull(budget.Fit("SOUL.md", new string('a', 20_000)));
        Assert.NotNull(budget.Fit("IDENTITY.md", new string('a', 19_940)));
        Assert.Null(budget.Fit("MEMORY.md", "short"));
        Assert.True(budget.Truncated);
    }

    [Fact]
    public async Task Group_sessions_get_no_MEMORY_md_and_cron_sessions_only_the_four_files()
    {
        var workspace = _fixture.Context().Workspace!;
        await workspace.WriteTextAsync("MEMORY.md", "memory text", default);
        _fixture.Template("BOOTSTRAP.md", "ritual");

        var group = await BuildAsync("agent:main:telegram:group:42");
        Assert.DoesNotContain("memory text", group);
        Assert.Contains("## USER.md", group);

        var cron = await BuildAsync("agent:main:cron:daily", tenantId: "bob");
        Assert.Contains("## AGENTS.md", cron);
        Assert.Contains("## SOUL.md", cron);
        Assert.Contains("## IDENTITY.md", cron);
        Assert.Contains("## USER.md", cron);
        Assert.DoesNotContain("## BOOTSTRAP.md", cron);
        Assert.DoesNotContain("## MEMORY.md", cron);
        Assert.DoesNotContain("## Bootstrap Pending", cron);

        var subagent = await BuildAsync("agent:main:subagent:abc", tenantId: "carol");
        Assert.Contains("## AGENTS.md", subagent);
        Assert.DoesNotContain("## SOUL.md", subagent);
    }

    [Fact]
    public async Task Bootstrap_is_pending_for_a_brand_new_workspace_until_BOOTSTRAP_md_is_deleted()
    {
        _fixture.Template("BOOTSTRAP.md", "ritual steps");

        var first = await BuildAsync();
        AssertOrder(first, "## Bootstrap Pending", "# Project Context", "## BOOTSTRAP.md\nritual steps");

        // Still pending on the next runs of the ritual, as long as the file is there.
        Assert.Contains("## Bootstrap Pending", await BuildAsync());

        await _fixture.CallAsync("apply_patch", new { input = "*** Begin Patch\n*** Delete File: BOOTSTRAP.md\n*** End Patch" });
        var after = await BuildAsync();
        Assert.DoesNotContain("## Bootstrap Pending", after);
        Assert.DoesNotContain("BOOTSTRAP.md", after);

        // A file written again later is context, not a new ritual.
        await _fixture.Context().Workspace!.WriteTextAsync("BOOTSTRAP.md", "again", default);
        var later = await BuildAsync();
        Assert.DoesNotContain("## Bootstrap Pending", later);
        Assert.Contains("## BOOTSTRAP.md\nagain", later);
    }

    [Fact]
    public async Task An_existing_workspace_never_gets_the_templates_BOOTSTRAP_md()
    {
        var context = _fixture.Context();
        var old = context.Sessions.GetOrCreate(SessionKey.Main("main"), _ => false);
        old.NextSeq = 12; // it has talked before
        _fixture.Template("BOOTSTRAP.md", "ritual steps");

        var prompt = await BuildAsync();

        Assert.DoesNotContain("## Bootstrap Pending", prompt);
        Assert.DoesNotContain("ritual steps", prompt);
        Assert.DoesNotContain("ritual steps", await BuildAsync());
        Assert.Equal("ritual steps", await _fixture.Context("bob").Workspace!.ReadTextAsync("BOOTSTRAP.md", default));
    }

    [Fact]
    public async Task Heartbeat_and_cron_runs_never_start_the_ritual()
    {
        _fixture.Template("BOOTSTRAP.md", "ritual steps");

        var cron = await BuildAsync("agent:main:cron:job-1");

        Assert.DoesNotContain("## Bootstrap Pending", cron);
        Assert.Contains("## Bootstrap Pending", await BuildAsync()); // the primary run still decides later
    }

    [Fact]
    public async Task Edited_files_are_read_again()
    {
        Assert.Contains("soul text", await BuildAsync());

        await _fixture.CallAsync("write", new { path = "SOUL.md", content = "a brand new soul" });

        var prompt = await BuildAsync();
        Assert.Contains("## SOUL.md\na brand new soul", prompt);
        Assert.DoesNotContain("soul text", prompt);
    }

    [Fact]
    public async Task The_tenants_time_zone_and_system_prompt_are_used()
    {
        var context = _fixture.Context();
        context.State.Profile.Config = new TenantConfigOverrides { UserTimezone = "Asia/Tokyo", SystemPrompt = "Always answer in haiku." };
        _fixture.Time.Advance(TimeSpan.FromHours(20)); // 2026-01-01 20:00 UTC is 2026-01-02 in Tokyo

        var prompt = await BuildAsync();

        Assert.Contains("Current date: 2026-01-02", prompt);
        Assert.Contains("Time zone: Asia/Tokyo", prompt);
        AssertOrder(prompt, "## Temporal Context", "## Additional Instructions\nAlways answer in haiku.", "## Runtime");
    }

    [Fact]
    public async Task Only_offered_tools_are_listed()
    {
        var context = _fixture.Context();
        var run = AgentToolFixture.Run();
        var session = new SessionRecord { Key = run.SessionKey.Value };
        var readOnly = context.Tools.Where(tool => tool.Name is "read" or "ls").ToArray();

        var prompt = await SystemPromptBuilder.BuildAsync(context, run, session, readOnly, CancellationToken.None);

        Assert.Contains("- read: ", prompt);
        Assert.DoesNotContain("- write: ", prompt);
        var none = await SystemPromptBuilder.BuildAsync(context, run, session, [], CancellationToken.None);
        Assert.Contains("No tools are available", none);
    }
}
