using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// Reads a JSON body with a size bound and turns every way it can be wrong into a 400 that names
/// the field (<c>$</c> for the whole body): not JSON, a wrong type, a missing body.
/// </summary>
internal static class AdminRequestBody
{
    /// <summary>Admin bodies are small (a config, a name); anything bigger is refused unread.</summary>
    public const int MaxJsonBytes = 256 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > MaxJsonBytes)
        {
            return (null, AdminProblems.TooLarge($"JSON bodies may be at most {MaxJsonBytes} bytes."));
        }

        byte[] bytes;
        try
        {
            bytes = await ReadBoundedAsync(request.Body, MaxJsonBytes, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return (null, AdminProblems.TooLarge($"JSON bodies may be at most {MaxJsonBytes} bytes."));
        }

        if (bytes.Length == 0)
        {
            return (null, AdminProblems.Field("$", "A JSON body is required."));
        }

        try
        {
            var value = JsonSerializer.Deserialize(bytes, type);
            return value is null ? (null, AdminProblems.Field("$", "The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, AdminProblems.Field(FieldOf(ex.Path), $"Not valid JSON for this field: {ex.Message}"));
        }
    }

    /// <summary>The body as a JSON document (for merge-patch), with the same bounds.</summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = request.ContentLength > MaxJsonBytes ? throw new InvalidDataException() : await ReadBoundedAsync(request.Body, MaxJsonBytes, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return (null, AdminProblems.TooLarge($"JSON bodies may be at most {MaxJsonBytes} bytes."));
        }

        try
        {
            return (JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 }), null);
        }
        catch (JsonException ex)
        {
            return (null, AdminProblems.Field("$", $"The body is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>The whole stream, or <see cref="InvalidDataException"/> past <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await body.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException($"more than {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }
    }

    /// <summary><c>$.config.baseUrl</c> → <c>config.baseUrl</c>; the root stays <c>$</c>.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
