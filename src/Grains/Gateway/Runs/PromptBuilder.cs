using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The conversation sent to the model: the system prompt, then the session's most recent
/// messages (which end with the run's own prompt, appended when the run started).
/// </summary>
internal static class PromptBuilder
{
    public static LlmRequest Build(GatewayContext context, EffectiveTenantConfig config, SessionRecord session)
    {
        var messages = new List<LlmMessage> { new(LlmMessage.SystemRole, context.SystemPrompt) };
        var recent = session.Messages
            .Where(message => message.Text.Length > 0)
            .TakeLast(Math.Max(1, context.Options.MaxContextMessages));
        foreach (var message in recent)
        {
            var role = message.Role == TranscriptMessage.AssistantRole ? LlmMessage.AssistantRole : LlmMessage.UserRole;
            messages.Add(new LlmMessage(role, message.Text));
        }

        return new LlmRequest(config.Model, messages, context.Options.MaxOutputTokens);
    }
}
