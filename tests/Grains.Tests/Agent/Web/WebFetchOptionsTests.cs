using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Agent.Web;

namespace OpenClaw.Grains.Tests.Agent.Web;

/// <summary>The silo's registration of <c>web_fetch</c>: defaults, binding from <c>tools:webFetch</c>, and refused values.</summary>
public sealed class WebFetchOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddUserGrains(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void The_defaults_are_the_reference_tools()
    {
        using var services = Services([]);

        var options = services.GetRequiredService<WebFetcher>().Options;

        Assert.Equal(750_000, options.MaxResponseBytes);
        Assert.Equal(20_000, options.DefaultChars);
        Assert.Equal(3, options.MaxRedirects);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
    }

    [Fact]
    public void The_section_is_bound()
    {
        using var services = Services(new() { ["tools:webFetch:maxRedirects"] = "1", ["tools:webFetch:timeout"] = "00:00:05" });

        var options = services.GetRequiredService<WebFetcher>().Options;

        Assert.Equal(1, options.MaxRedirects);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
    }

    [Theory]
    [InlineData("maxResponseBytes", "0", "MaxResponseBytes")]
    [InlineData("maxRedirects", "50", "MaxRedirects")]
    [InlineData("timeout", "00:00:00", "Timeout")]
    [InlineData("defaultChars", "10", "DefaultChars")]
    [InlineData("maxConcurrentPerTenant", "0", "MaxConcurrentPerTenant")]
    public void Unbounded_or_useless_values_are_refused(string key, string value, string named)
    {
        using var services = Services(new() { ["tools:webFetch:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WebFetchOptions>>().Value);

        Assert.Contains("tools:webFetch:" + named, error.Message);
    }
}
