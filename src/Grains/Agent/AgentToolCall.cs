using System.Text.Json;

namespace OpenClaw.Grains.Agent;

/// <summary>One tool call of the model: its id (as the model gave it), the tool name and the parsed arguments object.</summary>
internal sealed record AgentToolCall(string Id, string Name, JsonElement Arguments);
