using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>Fails the host at startup (or the first resolve) when a file storage is misconfigured.</summary>
internal sealed class FileGrainStorageOptionsValidator : IValidateOptions<FileGrainStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, FileGrainStorageOptions options) =>
        options.Validate() is { } error
            ? ValidateOptionsResult.Fail($"File grain storage '{name}': {error}")
            : ValidateOptionsResult.Success;
}
