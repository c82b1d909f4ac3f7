namespace OpenClaw.Grains.Llm;

/// <summary>A tool offered to the model: its exact name, a one-line description and the JSON schema of its arguments.</summary>
public sealed record LlmToolDefinition(string Name, string Description, string ParametersJson);
