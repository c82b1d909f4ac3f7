namespace OpenClaw.Cli;

/// <summary>The CLI's exit codes (documented in the README and in <c>openclaw --help</c>).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad command line (unknown command, missing argument, malformed value).</summary>
    public const int Usage = 1;

    /// <summary>The server refused the service token (401/403), or none was given.</summary>
    public const int AuthRefused = 2;

    /// <summary>The tenant, token or route does not exist (404).</summary>
    public const int NotFound = 3;

    /// <summary>The server rejected the request: validation (400/422), conflict (409), too large (413).</summary>
    public const int Rejected = 4;

    /// <summary>The server could not be reached, timed out, or failed (5xx).</summary>
    public const int Unavailable = 5;

    public const string Summary = "Exit codes: 0 ok, 1 usage, 2 auth refused, 3 not found, 4 conflict/validation, 5 server unreachable or 5xx.";
}
