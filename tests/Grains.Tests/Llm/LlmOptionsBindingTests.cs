using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.Llm;

public sealed class LlmOptionsBindingTests
{
    [Fact]
    public void The_Llm_section_of_the_host_configuration_reaches_the_providers()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:ResponseTimeout"] = "00:00:07",
            ["Llm:EchoChunkDelay"] = "00:00:00",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddUserGrains(configuration).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<LlmProviderOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(7), options.ResponseTimeout);
        Assert.Equal(TimeSpan.Zero, options.EchoChunkDelay);
    }
}
