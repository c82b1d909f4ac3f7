namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A session key <c>agent:&lt;agentId&gt;:&lt;name&gt;</c> (the default is <c>agent:main:main</c>).
/// A bare name such as <c>main</c> or <c>work</c> means that name under the default agent, as the
/// TUI's <c>--session work</c> does. Agent ids are lower case letters, digits, <c>-</c> and <c>_</c>.
/// </summary>
internal readonly record struct SessionKey(string AgentId, string Name)
{
    public const string DefaultAgentId = "main";
    public const string MainName = "main";
    public const int MaxLength = 512;

    private const string Prefix = "agent:";

    public static SessionKey Main(string agentId) => new(agentId, MainName);

    public string Value => $"{Prefix}{AgentId}:{Name}";

    public bool IsMain => Name == MainName;

    /// <summary>Parses and canonicalizes <paramref name="text"/>; null with a reason when it is not a session key.</summary>
    public static SessionKey? TryParse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "must not be empty";
            return null;
        }

        if (trimmed.Length > MaxLength)
        {
            error = $"must be at most {MaxLength} characters";
            return null;
        }

        if (trimmed.Any(char.IsControl))
        {
            error = "must not contain control characters";
            return null;
        }

        if (!trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return new SessionKey(DefaultAgentId, trimmed);
        }

        var rest = trimmed[Prefix.Length..];
        var separator = rest.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || separator == rest.Length - 1)
        {
            error = "must look like agent:<agentId>:<name>";
            return null;
        }

        var agentId = rest[..separator].ToLowerInvariant();
        if (!IsValidAgentId(agentId))
        {
            error = "has an invalid agent id";
            return null;
        }

        return new SessionKey(agentId, rest[(separator + 1)..]);
    }

    public static bool IsValidAgentId(string agentId) =>
        agentId.Length is > 0 and <= 64
        && agentId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    public override string ToString() => Value;
}
