namespace OpenClaw.Grains.Llm;

/// <summary>Checks a request before it is sent anywhere.</summary>
internal static class LlmRequestValidation
{
    public static void Validate(string provider, LlmRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw new LlmProviderException($"{provider}: no model is configured.");
        }

        if (request.Messages is null || request.Messages.Count == 0)
        {
            throw new LlmProviderException($"{provider}: the request has no messages.");
        }

        foreach (var message in request.Messages)
        {
            if (message is null
                || message.Role is not (LlmMessage.SystemRole or LlmMessage.UserRole or LlmMessage.AssistantRole or LlmMessage.ToolRole))
            {
                throw new LlmProviderException($"{provider}: message role '{message?.Role}' is not one of system, user, assistant, tool.");
            }

            if (message.Role == LlmMessage.ToolRole && string.IsNullOrEmpty(message.ToolCallId))
            {
                throw new LlmProviderException($"{provider}: a tool message has no tool call id.");
            }

            if (message.Content is null)
            {
                throw new LlmProviderException($"{provider}: a {message.Role} message has no content.");
            }
        }

        if (request.MaxTokens is <= 0)
        {
            throw new LlmProviderException($"{provider}: max tokens must be positive.");
        }

        if (request.Temperature is { } temperature && (double.IsNaN(temperature) || temperature < 0))
        {
            throw new LlmProviderException($"{provider}: temperature must be a non-negative number.");
        }
    }
}
