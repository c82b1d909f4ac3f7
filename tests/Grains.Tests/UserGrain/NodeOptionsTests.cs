namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>The node/exec bounds are validated with the rest of <see cref="UserGrainOptions"/>.</summary>
public sealed class NodeOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var result = new UserGrainOptionsValidator().Validate(null, new UserGrainOptions());
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void The_approval_wait_must_end_before_the_run_does_and_caps_must_be_sane()
    {
        var options = new UserGrainOptions { RunTimeout = TimeSpan.FromMinutes(10) };
        options.Nodes.ApprovalTimeout = TimeSpan.FromMinutes(30);
        options.Nodes.MaxPendingInvokes = 0;
        options.Nodes.MaxResultBytes = 10;
        options.Nodes.ExecTimeout = TimeSpan.FromHours(2);

        var failures = new UserGrainOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("ApprovalTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxPendingInvokes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxResultBytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ExecTimeout", StringComparison.Ordinal));
    }
}
