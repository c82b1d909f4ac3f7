using System.Text;

namespace OpenClaw.Cli.Tests;

public sealed class ProblemTextTests
{
    [Fact]
    public void Shows_the_detail_and_every_field_error_on_one_line()
    {
        var body = """{"type":"x","title":"One or more validation errors occurred.","status":400,"detail":"The tenant is invalid.","errors":{"id":["Must be 1-64 characters."],"plan":["Unknown plan.","Try pro."]}}""";
        Assert.Equal("The tenant is invalid.; id: Must be 1-64 characters.; plan: Unknown plan. Try pro.", ProblemText.Describe(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Falls_back_to_the_title_and_ignores_bodies_that_are_not_problems()
    {
        Assert.Equal("Conflict.", ProblemText.Describe(Encoding.UTF8.GetBytes("""{"title":"Conflict.","status":409}""")));
        Assert.Null(ProblemText.Describe(Encoding.UTF8.GetBytes("<html>nope</html>")));
        Assert.Null(ProblemText.Describe([]));
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void Durations_parse(string text, long seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(seconds, (long)value.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5m")]
    [InlineData("5 minutes")]
    [InlineData("99999999999999999d")]
    public void Bad_durations_are_refused(string text) => Assert.False(Duration.TryParse(text, out _));
}
