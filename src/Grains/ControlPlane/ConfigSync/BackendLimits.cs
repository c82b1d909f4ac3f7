namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// What one page from the Cloud Backend may hold (docs/cloud-backend-api.md, "Size limits"). A page
/// that breaks any of them fails the pass before anything of it is applied.
/// </summary>
public static class BackendLimits
{
    public const int MaxUsersPerPage = 1000;
    public const int MaxDisplayNameChars = 200;
    public const int MaxPlanChars = 64;
    public const int MaxProviderChars = 32;
    public const int MaxModelChars = 200;
    public const int MaxApiKeyChars = 4096;
    public const int MaxBaseUrlChars = 2048;
    public const int MaxAgentNameChars = 200;
    public const int MaxSystemPromptChars = 32 * 1024;
    public const int MaxTokensPerUser = 100;
    public const int MaxTokenNameChars = 100;
    public const int MaxTokenIdChars = 128;
    public const int MaxCursorChars = 1024;
    public const int Sha256HexChars = 64;
}
