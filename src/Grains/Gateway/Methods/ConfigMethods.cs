using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// <c>config.get</c> and <c>config.patch</c> over the tenant's own config (not the host's): the
/// tenant record's config with the tenant's overrides, secrets redacted. The overrides live in
/// the grain's <c>profile</c> state. The <c>hash</c> guards concurrent edits (<c>baseHash</c>).
/// </summary>
internal sealed class ConfigMethods(GatewayContext context) : IGatewayMethodGroup
{
    /// <summary>Patches interleave at their save; one at a time keeps a failed save's undo from clobbering another patch.</summary>
    private readonly SemaphoreSlim _patchGate = new(1, 1);

    public void Register(GatewayMethodTable table)
    {
        table.Add("config.get", Get);
        table.Add("config.patch", Patch);
    }

    private string ConfigPath => $"tenants/{context.TenantId}/config";

    private Task<GatewayReply> Get(GatewayRequest request)
    {
        var redacted = RedactedConfigJson();
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("path", ConfigPath);
            writer.WriteBoolean("exists", true);
            writer.WriteBoolean("valid", true);
            writer.WriteString("hash", Hash(redacted));
            writer.WriteString("raw", redacted);
            writer.WriteRawProperty("config", redacted);
            writer.WriteEmptyArray("issues");
            writer.WriteEmptyArray("warnings");
        });
        return Task.FromResult(GatewayReply.Success(payload));
    }

    private async Task<GatewayReply> Patch(GatewayRequest request)
    {
        var raw = request.Params.OptionalElement("raw") ?? throw new GatewayParamsException("must have required property 'raw'");
        var baseHash = request.Params.OptionalString("baseHash", 128);
        request.Params.OptionalString("note", 1024);
        request.Params.OptionalString("sessionKey", SessionKey.MaxLength);
        request.Params.OptionalInteger("restartDelayMs", 0, int.MaxValue);

        await _patchGate.WaitAsync();
        try
        {
            return await PatchAsync(raw, baseHash);
        }
        finally
        {
            _patchGate.Release();
        }
    }

    private async Task<GatewayReply> PatchAsync(JsonElement raw, string? baseHash)
    {
        var currentHash = Hash(RedactedConfigJson());
        if (baseHash is not null && baseHash != currentHash)
        {
            return GatewayReply.Failure(GatewayError.InvalidRequest(
                "config changed since it was loaded (baseHash does not match); re-run config.get and retry"));
        }

        var profile = context.State.Profile;
        var previous = profile.Config;
        var previousRevision = profile.SecretsRevision;
        var updated = ApplyRaw(previous, raw);
        if (updated.ApiKey != previous.ApiKey)
        {
            // Kept in grain state only in protected form; the provider call site unprotects it.
            if (updated.ApiKey is not null && context.Secrets is { } secrets)
            {
                updated.ApiKey = secrets.Protect(updated.ApiKey);
            }

            profile.SecretsRevision++;
        }

        profile.Config = updated;
        context.State.MarkProfileDirty();
        if (!await context.TrySaveAsync("config.patch"))
        {
            profile.Config = previous;
            profile.SecretsRevision = previousRevision;
            return GatewayReplies.Unavailable("the config could not be saved; try again", retryable: true, retryAfterMs: 1000);
        }

        UserGrainLog.ConfigPatched(context.Logger, context.TenantId, string.Join(",", ChangedKeys(previous, updated)));
        await context.Cron.HeartbeatConfigChangedAsync();
        var redacted = RedactedConfigJson();
        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteString("path", ConfigPath);
            writer.WriteString("hash", Hash(redacted));
            writer.WriteRawProperty("config", redacted);
        }));
    }

    private TenantConfigOverrides ApplyRaw(TenantConfigOverrides current, JsonElement raw)
    {
        if (raw.ValueKind != JsonValueKind.String)
        {
            return ConfigPatch.Apply(current, raw, IsKnownProvider, context.Egress, context.Options.Cron);
        }

        // Official clients send the patch as JSON text.
        try
        {
            using var document = JsonDocument.Parse(raw.GetString()!);
            return ConfigPatch.Apply(current, document.RootElement, IsKnownProvider, context.Egress, context.Options.Cron);
        }
        catch (JsonException)
        {
            throw new GatewayParamsException("'raw' is not valid JSON");
        }
    }

    private bool IsKnownProvider(string provider)
    {
        try
        {
            context.Providers.Get(provider);
            return true;
        }
        catch (LlmProviderException)
        {
            return false;
        }
    }

    /// <summary>The effective config with the API key replaced by the placeholder (null when no key is in effect, e.g. a withheld provisioned key).</summary>
    private string RedactedConfigJson()
    {
        var config = context.Config;
        return JsonPayload.Object(writer =>
        {
            writer.WriteString("provider", config.Provider);
            writer.WriteString("model", config.Model);
            writer.WriteStringOrNull("apiKey", config.ApiKey is null ? null : ConfigPatch.RedactedPlaceholder);
            writer.WriteStringOrNull("baseUrl", config.BaseUrl);
            writer.WriteString("agentName", config.AgentName);
            writer.WriteStringOrNull("systemPrompt", config.SystemPrompt);
            writer.WriteStringOrNull("userTimezone", config.UserTimezone);
            writer.WriteStartObject("tools");
            ToolsConfigPatch.WriteMembers(writer, config.Tools);
            ExecToolsConfig.WriteMember(writer, config);
            writer.WriteEndObject();
            Cron.HeartbeatWriter.WriteConfig(writer, context);
        });
    }

    /// <summary>Covers the redacted config plus a counter bumped on every key change, so the key is never hashed.</summary>
    private string Hash(string redactedJson)
    {
        var text = $"{redactedJson}\n{context.State.Profile.SecretsRevision}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static IEnumerable<string> ChangedKeys(TenantConfigOverrides before, TenantConfigOverrides after)
    {
        if (before.Provider != after.Provider) yield return "provider";
        if (before.Model != after.Model) yield return "model";
        if (before.ApiKey != after.ApiKey) yield return "apiKey";
        if (before.BaseUrl != after.BaseUrl) yield return "baseUrl";
        if (before.AgentName != after.AgentName) yield return "agentName";
        if (before.SystemPrompt != after.SystemPrompt) yield return "systemPrompt";
        if (before.UserTimezone != after.UserTimezone) yield return "userTimezone";
        if (!ToolsConfigPatch.Same(before.Tools, after.Tools)) yield return "tools";
        if (!Cron.HeartbeatWriter.SameConfig(before.Heartbeat, after.Heartbeat)) yield return "heartbeat";
        if (before.ExecAsk != after.ExecAsk) yield return "tools.exec.ask";
        if (before.ExecNode != after.ExecNode) yield return "tools.exec.node";
    }
}
