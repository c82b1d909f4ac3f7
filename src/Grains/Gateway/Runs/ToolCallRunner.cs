using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Runs one tool call of the model and always returns a result for it: the tool's own result, or
/// an error result the model can act on (unknown or removed tool, arguments that are not a JSON
/// object or too large, the tool's <see cref="AgentToolException"/>, a timeout after
/// <see cref="UserGrainOptions.ToolTimeout"/>, or "internal error" for anything else, logged, with
/// no stack or path in what the model sees). Only the run's own cancellation (abort, run timeout)
/// escapes, as <see cref="OperationCanceledException"/>. The tool gets the run's token linked with
/// its timeout; a tool that ignores it is no longer waited for.
/// </summary>
internal sealed class ToolCallRunner(GatewayContext context, RunEventPublisher events)
{
    public async Task<ToolResult> RunAsync(ChatRun run, LlmToolCall call, ToolCallState state,
        IReadOnlyDictionary<string, IAgentTool> tools, CancellationToken runToken)
    {
        var started = context.Time.GetTimestamp();
        var result = await ExecuteAsync(run, call, state, tools, runToken);
        state.Finished = true;
        result = Bounded(result);
        AgentLoopLog.ToolCompleted(context.Logger, context.TenantId, run.RunId, call.Name, call.Id,
            context.Time.GetElapsedTime(started).TotalMilliseconds, result.IsError);
        return result;
    }

    private async Task<ToolResult> ExecuteAsync(ChatRun run, LlmToolCall call, ToolCallState state,
        IReadOnlyDictionary<string, IAgentTool> tools, CancellationToken runToken)
    {
        if (call.Invalid is { } invalid)
        {
            return ToolResult.Error($"Tool {call.Name} was not run: {invalid}.");
        }

        if (!tools.TryGetValue(call.Name, out var tool))
        {
            return ToolResult.Error($"Tool {call.Name} not found");
        }

        if (ParseArguments(call.ArgumentsJson) is not { } arguments)
        {
            return ToolResult.Error($"Tool {call.Name} was not run: its arguments are not a valid JSON object.");
        }

        using var timer = new CancellationTokenSource(context.Options.ToolTimeout, context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(runToken, timer.Token);
        var toolContext = new ToolRunContext
        {
            Gateway = context,
            Run = run,
            ToolCallId = call.Id,
            ReportUpdate = text => ReportUpdate(run, state, text),
        };

        try
        {
            var result = await tool.ExecuteAsync(new AgentToolCall(call.Id, call.Name, arguments), toolContext, linked.Token)
                .WaitAsync(linked.Token);
            return result ?? throw new InvalidOperationException($"tool {call.Name} returned no result");
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            var seconds = context.Options.ToolTimeout.TotalSeconds;
            AgentLoopLog.ToolTimedOut(context.Logger, context.TenantId, run.RunId, call.Name, call.Id, seconds);
            return ToolResult.Error(string.Format(CultureInfo.InvariantCulture,
                "Tool {0} timed out after {1:0.#} s and was cancelled.", call.Name, seconds));
        }
        catch (AgentToolException exception)
        {
            return ToolResult.Error(exception.Message, exception.Code is null ? null : JsonPayload.Object(writer =>
            {
                writer.WriteString("status", "error");
                writer.WriteString("error", exception.Message);
                writer.WriteString("gatewayCode", exception.Code);
            }));
        }
        catch (Exception exception)
        {
            AgentLoopLog.ToolFailed(context.Logger, context.TenantId, run.RunId, call.Name, call.Id, exception);
            return ToolResult.Error($"Tool {call.Name} failed with an internal error.");
        }
    }

    /// <summary>Throttled: the first update goes at once, later ones at most once per <see cref="UserGrainOptions.ToolUpdateInterval"/>; none after the call returned or the run ended.</summary>
    private void ReportUpdate(ChatRun run, ToolCallState state, string text)
    {
        if (state.Finished || run.IsEnded || text is null)
        {
            return;
        }

        var now = context.Time.GetTimestamp();
        if (state.LastUpdateAt is { } last && context.Time.GetElapsedTime(last, now) < context.Options.ToolUpdateInterval)
        {
            return;
        }

        state.LastUpdateAt = now;
        events.ToolUpdated(run, state, text);
    }

    /// <summary>Text capped at <see cref="UserGrainOptions.MaxToolResultChars"/> with a marker; details over <see cref="UserGrainOptions.MaxToolDetailsBytes"/> replaced.</summary>
    private ToolResult Bounded(ToolResult result)
    {
        var text = RunEventPublisher.Cap(result.Text ?? "", context.Options.MaxToolResultChars);
        var details = result.DetailsJson;
        if (details is not null && Encoding.UTF8.GetByteCount(details) > context.Options.MaxToolDetailsBytes)
        {
            details = """{"truncated":true}""";
        }

        return text == result.Text && details == result.DetailsJson ? result : result with { Text = text, DetailsJson = details };
    }

    /// <summary>The arguments object (empty text is <c>{}</c>), or null when they are not a JSON object.</summary>
    private static JsonElement? ParseArguments(string argumentsJson)
    {
        if (string.IsNullOrWhiteSpace(argumentsJson))
        {
            argumentsJson = "{}";
        }

        try
        {
            using var document = JsonDocument.Parse(argumentsJson);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
