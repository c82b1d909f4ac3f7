using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Everything the method handlers of one tenant share: the tenant and its effective config, the
/// durable state, the sessions, the runs, the event sink, options and clock. One per activation;
/// used only from the activation's turns (single-threaded), so it takes no locks.
/// </summary>
internal sealed class GatewayContext
{
    public GatewayContext(
        string tenantId,
        UserGrainOptions options,
        IUserStateStore state,
        ITenantEventSink events,
        ILlmProviderRegistry providers,
        EgressPolicy egress,
        TimeProvider time,
        ILogger logger)
    {
        TenantId = tenantId;
        Options = options;
        State = state;
        Events = events;
        Providers = providers;
        Egress = egress;
        Time = time;
        Logger = logger;
        Sessions = new SessionStore(state, options.MaxTranscriptMessages, options.MaxSessions, time);
        Runs = new ChatRunManager(this);
    }

    public string TenantId { get; }

    public UserGrainOptions Options { get; }

    public IUserStateStore State { get; }

    public ITenantEventSink Events { get; }

    public ILlmProviderRegistry Providers { get; }

    /// <summary>Protects a key the tenant sets with <c>config.patch</c> before it reaches grain state (null: keys are kept as given).</summary>
    public Secrets.ITenantSecretProtector? Secrets { get; init; }

    /// <summary>Where the tenant may point its provider (checked when it sets a URL; the HTTP clients check every connection).</summary>
    public EgressPolicy Egress { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public SessionStore Sessions { get; }

    public ChatRunManager Runs { get; }

    /// <summary>The tenant's open sockets, as the edges reported them.</summary>
    public TenantConnections Connections { get; } = new();

    /// <summary>The tenant's nodes, node invokes and exec approvals, created on first use.</summary>
    public Nodes.NodeHub Nodes => _nodes ??= new Nodes.NodeHub(this);

    private Nodes.NodeHub? _nodes;

    /// <summary>Every tool the tenant's agent can be offered (before policy), built on first use.</summary>
    public IReadOnlyList<Agent.IAgentTool> Tools => _tools ??= Agent.AgentToolCatalog.Create(this);

    private IReadOnlyList<Agent.IAgentTool>? _tools;

    /// <summary>Replaces the catalog (tests and benchmarks that bring their own tools).</summary>
    public IReadOnlyList<Agent.IAgentTool> ToolsOverride { init => _tools = value; }

    /// <summary>The tenant's workspace (overlay over the template); null in harnesses without files.</summary>
    public Workspace.TenantWorkspace? Workspace { get; init; }

    /// <summary>The <c>web_fetch</c> tool's fetcher (egress-checked HTTP); null where the host registered none (then the tool is not offered).</summary>
    public Agent.Web.WebFetcher? WebFetch { get; init; }
    /// <summary>Keeps the tenant's one durable wake-up (the reminder) at its next due job or heartbeat; null where nothing wakes dormant tenants (harnesses).</summary>
    public Cron.ITenantSchedule? Schedule { get; init; }

    /// <summary>The tenant's scheduled jobs and heartbeat.</summary>
    public Cron.TenantCron Cron => _cron ??= new(this);

    private Cron.TenantCron? _cron;

    /// <summary>The silo's chat-run metrics (null in harnesses that do not measure).</summary>
    public Diagnostics.GrainsInstruments? Instruments { get; init; }

    /// <summary>The tenant's record; null until loaded, or when the tenant is unknown or disabled.</summary>
    public TenantRecord? Tenant { get; private set; }

    /// <summary>Why calls are refused while <see cref="Tenant"/> is null.</summary>
    public string UnavailableReason { get; private set; } = "tenant not loaded yet";

    /// <summary>Called when a state write hit an ETag conflict: another activation wrote this tenant's state.</summary>
    public Action? StateConflict { get; set; }

    /// <summary>Called with true when the first run starts and with false when the last one ends (the grain pins itself meanwhile).</summary>
    public Action<bool>? RunsActiveChanged { get; set; }

    public string AgentId => SessionKey.DefaultAgentId;

    public SessionKey MainSessionKey => SessionKey.Main(AgentId);

    /// <summary>Where this tenant's sessions live, as reported in <c>path</c> fields (no host paths).</summary>
    public string SessionsPath => $"tenants/{TenantId}/agents/{AgentId}/sessions";

    /// <summary>The tenant record's config with the tenant's overrides; the record's key only where it was provisioned (see <see cref="EffectiveTenantConfig"/>).</summary>
    public EffectiveTenantConfig Config =>
        EffectiveTenantConfig.From(Tenant?.Config ?? new TenantConfig(), State.Profile.Config);

    public void SetTenant(TenantRecord tenant)
    {
        Tenant = tenant;
        UnavailableReason = "";
    }

    public void SetUnavailable(string reason)
    {
        Tenant = null;
        UnavailableReason = reason;
    }

    public long NowMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Loads the durable state (before the first call) and records the runs a restart interrupted
    /// (see <see cref="RunRecovery"/>); writes what that changed (and a migrated old format).
    /// </summary>
    public async Task LoadStateAsync(CancellationToken cancellationToken = default)
    {
        await State.LoadAsync(cancellationToken);
        var interrupted = RunRecovery.Recover(this);
        if (interrupted > 0)
        {
            UserGrainLog.RunsInterrupted(Logger, TenantId, interrupted);
        }

        if (State.IsDirty)
        {
            await TrySaveAsync("loading");
        }
    }

    /// <summary>Writes dirty state; logs and swallows failures (the state stays dirty and is retried later).</summary>
    public async Task<bool> TrySaveAsync(string reason)
    {
        try
        {
            await State.SaveAsync();
            return true;
        }
        catch (InconsistentStateException exception)
        {
            UserGrainLog.StateConflict(Logger, TenantId, reason, exception.StoredEtag, exception.ExpectedEtag);
            StateConflict?.Invoke();
            return false;
        }
        catch (Exception exception)
        {
            UserGrainLog.StateWriteFailed(Logger, TenantId, reason, exception);
            return false;
        }
    }
}
