using System.Security.Cryptography;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>A tenant declared in every silo's configuration, on the echo provider (no key, no network).</summary>
internal sealed record TestTenant(string Id)
{
    /// <summary>A strong random token (the silo refuses weak ones outside Development).</summary>
    public string Token { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static IReadOnlyList<TestTenant> Many(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new TestTenant($"{prefix}{i}"))];
}
