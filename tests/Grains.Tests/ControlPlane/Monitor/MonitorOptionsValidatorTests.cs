using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

public sealed class MonitorOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_the_seeds_and_are_valid()
    {
        var options = new MonitorOptions();
        Assert.True(new MonitorOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(512, options.Rules.Memory.ThresholdMb);
        Assert.Equal(80, options.Rules.ActiveRatio.ThresholdPercent);
        Assert.Equal(3, options.Rules.ConfigSync.ConsecutiveFailures);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://alerts.example.com/hook")]
    [InlineData("gopher://alerts.example.com/")]
    [InlineData("/relative/path")]
    [InlineData("https://user:password@alerts.example.com/hook")]
    [InlineData("")]
    [InlineData("not a url")]
    public void A_webhook_url_that_is_not_plain_http_or_https_is_refused(string url)
    {
        var options = new MonitorOptions { Webhooks = [new AlertWebhookOptions { Url = url, Secret = "0123456789abcdef0123" }] };
        var result = new MonitorOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("monitor:webhooks:0:url", StringComparison.Ordinal));
    }

    [Fact]
    public void A_json_webhook_needs_a_secret_a_slack_one_does_not()
    {
        var validator = new MonitorOptionsValidator();
        Assert.True(validator.Validate(null, new MonitorOptions { Webhooks = [new AlertWebhookOptions { Url = "https://alerts.example.com/hook" }] }).Failed);
        Assert.True(validator.Validate(null, new MonitorOptions
        {
            Webhooks = [new AlertWebhookOptions { Url = "https://alerts.example.com/hook", Secret = "short" }],
        }).Failed);
        Assert.True(validator.Validate(null, new MonitorOptions
        {
            Webhooks = [new AlertWebhookOptions { Url = "https://hooks.slack.com/services/T0/B0/X", Format = AlertWebhookFormat.Slack }],
        }).Succeeded);
    }

    [Fact]
    public void Impossible_rule_settings_are_refused()
    {
        var options = new MonitorOptions();
        options.Rules.Memory.ThresholdMb = 0;
        options.Rules.ActiveRatio.ThresholdPercent = 150;
        options.Rules.ErrorRate.MinimumCalls = 0;
        options.Rules.ConfigSync.RaiseAfter = 0;
        options.Rules.ProviderFailures.ResolveMarginPercent = 100;
        options.IntervalMs = 10;
        options.Delivery.MaxBackoffMs = 1;
        var failures = new MonitorOptionsValidator().Validate(null, options).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("monitor:rules:memory", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("monitor:rules:activeRatio", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("monitor:rules:errorRate:minimumCalls", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("monitor:rules:configSync:raiseAfter", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("monitor:rules:providerFailures:resolveMarginPercent", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("monitor:intervalMs", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("monitor:delivery:maxBackoffMs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_configuration_names_bind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["monitor:intervalMs"] = "15000",
            ["monitor:rules:memory:thresholdMb"] = "1024",
            ["monitor:rules:activeRatio:thresholdPercent"] = "90",
            ["monitor:rules:configSync:consecutiveFailures"] = "5",
            ["monitor:rules:errorRate:severity"] = "Warning",
            ["monitor:rules:providerFailures:enabled"] = "false",
            ["monitor:webhooks:0:url"] = "https://hooks.slack.com/services/T0/B0/X",
            ["monitor:webhooks:0:format"] = "slack",
            ["monitor:delivery:maxAttempts"] = "7",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddClusterMonitor(configuration).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<MonitorOptions>>().Value;
        Assert.Equal(15_000, options.IntervalMs);
        Assert.Equal(1024, options.Rules.Memory.ThresholdMb);
        Assert.Equal(90, options.Rules.ActiveRatio.ThresholdPercent);
        Assert.Equal(5, options.Rules.ConfigSync.ConsecutiveFailures);
        Assert.Equal(AlertSeverity.Warning, options.Rules.ErrorRate.Severity);
        Assert.False(options.Rules.ProviderFailures.Enabled);
        Assert.Equal(AlertWebhookFormat.Slack, Assert.Single(options.Webhooks).Format);
        Assert.Equal(7, options.Delivery.MaxAttempts);
    }
}
