using System.Text.Json;

namespace OpenClaw.Silo.Tests.Telemetry;

/// <summary>The real silo process's console: JSON lines with <c>logging:format=json</c>; no secret in either format.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class LogFormatTests
{
    private const string ApiKey = "sk-log-test-secret-key-0123456789";
    private const string WrongToken = "wrong-token-that-someone-tried-0123";

    private static Dictionary<string, string> Settings(string format) => new()
    {
        ["logging:format"] = format,
        ["logging:level"] = "debug",
        ["tenants:0:id"] = "t0",
        ["tenants:0:token"] = TelemetrySilo.TenantToken,
        ["tenants:0:provider"] = "openai",
        ["tenants:0:model"] = "gpt-test",
        ["tenants:0:apiKey"] = ApiKey,
        ["tenants:0:baseUrl"] = "http://127.0.0.1:9/v1",
        ["egress:allowedNetworks:0"] = "127.0.0.1/32",
    };

    [Fact]
    public async Task Json_format_writes_one_parseable_object_per_line_without_secrets()
    {
        var output = await RunAsync("json");

        var jsonLines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("OpenClaw gateway: ", StringComparison.Ordinal))
            .ToList();
        Assert.True(jsonLines.Count > 5, output);
        var entries = jsonLines.Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON line: {line} ({ex.Message})");
            }
        }).ToList();
        Assert.All(entries, e =>
        {
            Assert.True(e.TryGetProperty("Timestamp", out _));
            Assert.True(e.TryGetProperty("LogLevel", out _));
            Assert.True(e.TryGetProperty("Category", out _));
            Assert.True(e.TryGetProperty("Message", out _));
        });
        // Structured fields: the template's arguments are their own properties.
        Assert.Contains(entries, e => e.TryGetProperty("State", out var state) && state.TryGetProperty("TenantId", out var tenant) && tenant.GetString() == "t0");
        Assert.Contains(entries, e => e.GetProperty("LogLevel").GetString() == "Debug");
        AssertNoSecrets(output);
    }

    [Fact]
    public async Task Text_format_has_no_secrets_either()
    {
        var output = await RunAsync("text");
        Assert.Contains("t0", output);
        AssertNoSecrets(output);
    }

    /// <summary>A refused connect with a wrong token, a connect with the right one and a chat run whose provider (with its key) fails.</summary>
    private static async Task<string> RunAsync(string format)
    {
        await using var silo = await SiloProcess.StartAsync(Settings(format));
        await using (var refused = new EdgeGateway.Tests.Infrastructure.GatewayTestClient())
        {
            await refused.ConnectAsync(silo.WebSocketUri);
            await refused.ReadChallengeAsync();
            await refused.SendConnectAsync(EdgeGateway.Tests.Infrastructure.ConnectRequests.Params(WrongToken));
        }
        await using (var client = await silo.ConnectAsync(TelemetrySilo.TenantToken))
        {
            await MetricsEndpointTests.ChatAsync(client, "log me");
            await client.CloseAsync();
        }
        await silo.StopAsync();
        return silo.Output;
    }

    private static void AssertNoSecrets(string output)
    {
        Assert.DoesNotContain(TelemetrySilo.TenantToken, output);
        Assert.DoesNotContain(WrongToken, output);
        Assert.DoesNotContain(ApiKey, output);
        Assert.DoesNotContain("sk-log-test", output);
    }
}
