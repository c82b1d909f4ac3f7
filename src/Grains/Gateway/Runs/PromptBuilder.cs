using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The conversation sent to the model: the system prompt, then the session's most recent
/// messages (which end with the run's own prompt, appended when the run started, and the run's
/// tool turns so far). Earlier tool calls and results go back to the provider as such; a call
/// whose result is not in the window (the run was aborted or interrupted in the tool, or the
/// window cut between them) is left out with its result, since providers refuse unanswered calls.
/// </summary>
internal static class PromptBuilder
{
    public static LlmRequest Build(GatewayContext context, EffectiveTenantConfig config, SessionRecord session,
        string systemPrompt, IReadOnlyList<LlmToolDefinition> tools)
    {
        var messages = new List<LlmMessage> { new(LlmMessage.SystemRole, systemPrompt) };
        var recent = session.Messages
            .Where(message => message.Text.Length > 0 || message.HasToolCalls || message.Role == TranscriptMessage.ToolResultRole)
            .TakeLast(Math.Max(1, context.Options.MaxContextMessages))
            .ToList();
        var answered = recent.Where(message => message.Role == TranscriptMessage.ToolResultRole && message.ToolCallId is not null)
            .Select(message => message.ToolCallId!)
            .ToHashSet(StringComparer.Ordinal);
        var called = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in recent)
        {
            switch (message.Role)
            {
                case TranscriptMessage.ToolResultRole:
                    if (message.ToolCallId is { } id && called.Contains(id))
                    {
                        messages.Add(LlmMessage.ToolResult(id, message.ToolName ?? "", message.Text, message.IsError == true));
                    }

                    break;
                case TranscriptMessage.AssistantRole:
                    var calls = message.ToolCalls?
                        .Where(call => answered.Contains(call.Id))
                        .Select(call => new LlmToolCall(call.Id, call.Name, call.ArgumentsJson))
                        .ToList();
                    if (calls is { Count: > 0 })
                    {
                        called.UnionWith(calls.Select(call => call.Id));
                        messages.Add(new LlmMessage(LlmMessage.AssistantRole, message.Text) { ToolCalls = calls });
                    }
                    else if (message.Text.Length > 0)
                    {
                        messages.Add(new LlmMessage(LlmMessage.AssistantRole, message.Text));
                    }

                    break;
                default:
                    if (message.Text.Length > 0)
                    {
                        messages.Add(new LlmMessage(LlmMessage.UserRole, message.Text));
                    }

                    break;
            }
        }

        return new LlmRequest(config.Model, messages, context.Options.MaxOutputTokens)
        {
            Tools = tools.Count > 0 ? tools : null,
            ToolChoice = tools.Count > 0 ? LlmRequest.ToolChoiceAuto : null,
        };
    }
}
