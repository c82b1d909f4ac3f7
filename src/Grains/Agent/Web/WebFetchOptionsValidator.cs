using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Agent.Web;

/// <summary>Refuses <see cref="WebFetchOptions"/> that would make the tool unbounded or useless (checked at startup).</summary>
public sealed class WebFetchOptionsValidator : IValidateOptions<WebFetchOptions>
{
    private const int MaxResponseBytesLimit = 64 * 1024 * 1024;
    private const int MaxRedirectsLimit = 10;

    public ValidateOptionsResult Validate(string? name, WebFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = WebFetchOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxResponseBytes is < 1024 or > MaxResponseBytesLimit)
        {
            failures.Add($"{section}:{nameof(options.MaxResponseBytes)} must be between 1024 and {MaxResponseBytesLimit}.");
        }

        if (options.MaxChars is < WebFetchOptions.MinChars or > 10_000_000)
        {
            failures.Add($"{section}:{nameof(options.MaxChars)} must be between {WebFetchOptions.MinChars} and 10000000.");
        }

        if (options.DefaultChars < WebFetchOptions.MinChars || options.DefaultChars > options.MaxChars)
        {
            failures.Add($"{section}:{nameof(options.DefaultChars)} must be between {WebFetchOptions.MinChars} and {nameof(options.MaxChars)}.");
        }

        if (options.MaxRedirects is < 0 or > MaxRedirectsLimit)
        {
            failures.Add($"{section}:{nameof(options.MaxRedirects)} must be between 0 and {MaxRedirectsLimit}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{section}:{nameof(options.Timeout)} must be positive and at most 10 minutes.");
        }

        if (options.MaxConcurrentPerTenant is < 1 or > 64)
        {
            failures.Add($"{section}:{nameof(options.MaxConcurrentPerTenant)} must be between 1 and 64.");
        }

        if (string.IsNullOrWhiteSpace(options.UserAgent) || options.UserAgent.Length > 512 || options.UserAgent.Any(char.IsControl))
        {
            failures.Add($"{section}:{nameof(options.UserAgent)} must be a non-empty header value of at most 512 characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
