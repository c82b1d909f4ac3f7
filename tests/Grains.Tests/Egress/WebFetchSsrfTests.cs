using OpenClaw.Grains.Tests.Agent.Web;

namespace OpenClaw.Grains.Tests.Egress;

/// <summary>
/// Server-side request forgery through <c>web_fetch</c> with the default egress policy (public
/// addresses only): every way of naming an internal address is refused with a clear error, and
/// the internal "victim" server (on loopback) never gets a request.
/// </summary>
public sealed class WebFetchSsrfTests : IAsyncLifetime
{
    private RecordingServer _victim = null!;

    public async Task InitializeAsync() => _victim = await RecordingServer.StartAsync();

    public async Task DisposeAsync() => await _victim.DisposeAsync();

    private int Port => _victim.Port;

    [Theory]
    [InlineData("http://127.0.0.1:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://127.0.0.2:{port}/admin", "blocked: 127.0.0.2 is a loopback address")]
    [InlineData("http://[::1]:{port}/", "blocked: ::1 is a loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/", "blocked: ::ffff:127.0.0.1 is a loopback address")]
    [InlineData("http://2130706433:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f.1:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f000001:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://0177.0.0.1:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://017700000001:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://127.1:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://127.0.0.1.:{port}/", "blocked: 127.0.0.1 is a loopback address")]
    [InlineData("http://0.0.0.0:{port}/", "blocked: 0.0.0.0 is the unspecified address")]
    [InlineData("http://[::]:{port}/", "blocked: :: is the unspecified address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "blocked: 169.254.169.254 is a link-local address (where cloud metadata services answer)")]
    [InlineData("http://[fe80::1%25eth0]/", "blocked: fe80::1 is a link-local address (where cloud metadata services answer)")]
    [InlineData("http://[::ffff:a9fe:a9fe]/", "blocked: ::ffff:169.254.169.254 is a link-local address (where cloud metadata services answer)")]
    [InlineData("http://10.0.0.1/", "blocked: 10.0.0.1 is a private network address")]
    [InlineData("http://192.168.1.1/", "blocked: 192.168.1.1 is a private network address")]
    [InlineData("http://100.100.100.200/", "blocked: 100.100.100.200 is a carrier-grade NAT address")]
    [InlineData("http://[fd00::1]/", "blocked: fd00::1 is a unique local (private) IPv6 address")]
    [InlineData("http://[64:ff9b::7f00:1]:{port}/", "blocked: 64:ff9b::7f00:1 is a loopback address")]
    [InlineData("http://localhost:{port}/", "blocked: localhost is a loopback name")]
    [InlineData("http://LOCALHOST.:{port}/", "blocked: localhost is a loopback name")]
    [InlineData("http://api.localhost:{port}/", "blocked: api.localhost is a loopback name")]
    public async Task Internal_addresses_in_any_notation_are_refused(string url, string expected)
    {
        using var fixture = new WebFetchFixture();

        var message = await fixture.RefusedAsync(new { url = url.Replace("{port}", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) });

        Assert.Equal(expected, message);
        Assert.Empty(_victim.Requests);
    }

    [Fact]
    public async Task Ipv4_with_full_width_digits_is_a_punycode_name_not_loopback()
    {
        using var fixture = new WebFetchFixture();

        var message = await fixture.RefusedAsync(new { url = $"http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:{Port}/" });

        // .NET does not map the digits to ASCII: the host is an (unresolvable) IDN name, looked up as such.
        Assert.StartsWith("fetch failed: xn--", message);
        Assert.All(fixture.Resolver.Lookups, name => Assert.StartsWith("xn--", name));
        Assert.Empty(_victim.Requests);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("/etc/passwd", "file")]
    [InlineData("ftp://example.com/x", "ftp")]
    [InlineData("gopher://127.0.0.1:70/_GET", "gopher")]
    [InlineData("dict://127.0.0.1:11211/stats", "dict")]
    [InlineData("ws://example.com/", "ws")]
    [InlineData("data:text/html,<h1>x</h1>", "data")]
    [InlineData("javascript:alert(1)", "javascript")]
    public async Task Other_schemes_are_refused(string url, string scheme)
    {
        using var fixture = new WebFetchFixture();

        var message = await fixture.RefusedAsync(new { url });

        Assert.Equal($"blocked: only http and https URLs can be fetched, not {scheme}: URLs", message);
    }

    [Theory]
    [InlineData("http://user:pass@example.com/")]
    [InlineData("http://example.com@127.0.0.1:{port}/")]
    [InlineData("http://example.com:80@127.0.0.1:{port}/")]
    [InlineData("http://%65xample.com@127.0.0.1:{port}/")]
    public async Task Urls_with_user_info_are_refused(string url)
    {
        using var fixture = new WebFetchFixture();

        var message = await fixture.RefusedAsync(new { url = url.Replace("{port}", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) });

        Assert.Equal("blocked: the URL carries credentials (user@host), which web_fetch never sends", message);
        Assert.Empty(_victim.Requests);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("example.com/no-scheme")]
    public async Task What_is_not_an_absolute_url_is_refused(string url)
    {
        using var fixture = new WebFetchFixture();

        var message = await fixture.RefusedAsync(new { url });

        Assert.StartsWith("invalid URL", message);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting_without_naming_the_address()
    {
        using var fixture = new WebFetchFixture();
        fixture.Resolver.Add("innocent.example", "127.0.0.1");

        var message = await fixture.RefusedAsync(new { url = $"http://innocent.example:{Port}/" });

        Assert.Equal("blocked: innocent.example resolves to a private or internal address", message);
        Assert.DoesNotContain("127.0.0.1", message);
        Assert.Equal(["innocent.example"], fixture.Resolver.Lookups);
        Assert.Empty(_victim.Requests);
    }

    [Fact]
    public async Task A_name_with_one_internal_address_among_public_ones_is_refused()
    {
        using var fixture = new WebFetchFixture();
        fixture.Resolver.Add("mixed.example", "93.184.216.34", "169.254.169.254");

        var message = await fixture.RefusedAsync(new { url = "http://mixed.example/" });

        Assert.Equal("blocked: mixed.example resolves to a private or internal address", message);
    }

    [Fact]
    public async Task A_rebinding_name_is_checked_again_when_connecting_after_an_allowed_fetch()
    {
        // First answer: an allowed address (the "public" site); later answers: the victim's loopback address.
        await using var site = await RecordingServer.StartAsync(address: "127.0.0.2", port: Port);
        using var fixture = new WebFetchFixture(egress => egress.AllowedNetworks.Add("127.0.0.2/32"));
        fixture.Resolver.Add("rebind.example", "127.0.0.2").Add("rebind.example", "127.0.0.1");

        var first = await fixture.FetchAsync(new { url = $"http://rebind.example:{Port}/" });
        await site.DisposeAsync();
        var message = await fixture.RefusedAsync(new { url = $"http://rebind.example:{Port}/again" });

        Assert.False(first.IsError);
        Assert.Equal("blocked: rebind.example resolves to a private or internal address", message);
        Assert.Empty(_victim.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/admin", "blocked: 127.0.0.1 is a loopback address (redirected from http://public.example:{redirector}/go)")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam", "blocked: 169.254.169.254 is a link-local address (where cloud metadata services answer) (redirected from http://public.example:{redirector}/go)")]
    [InlineData("http://2130706433:{port}/", "blocked: 127.0.0.1 is a loopback address (redirected from http://public.example:{redirector}/go)")]
    [InlineData("http://[::1]:{port}/", "blocked: ::1 is a loopback address (redirected from http://public.example:{redirector}/go)")]
    [InlineData("http://localhost:{port}/", "blocked: localhost is a loopback name (redirected from http://public.example:{redirector}/go)")]
    [InlineData("http://internal.example:{port}/", "blocked: internal.example resolves to a private or internal address")]
    [InlineData("file:///etc/passwd", "blocked: only http and https URLs can be fetched, not file: URLs (redirected from http://public.example:{redirector}/go)")]
    [InlineData("http://public.example@127.0.0.1:{port}/", "blocked: the redirect target URL carries credentials (user@host), which web_fetch never sends")]
    public async Task An_allowed_site_that_redirects_inside_is_refused_at_the_redirect(string target, string expected)
    {
        // public.example stands for an attacker's public site: the operator allowlist lets it through as a name.
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var redirector = await RecordingServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = target.Replace("{port}", port, StringComparison.Ordinal);
            return Task.CompletedTask;
        }, address: "127.0.0.3");
        using var fixture = new WebFetchFixture(egress => egress.AllowedHosts.Add("public.example"));
        fixture.Resolver.Add("public.example", "127.0.0.3").Add("internal.example", "127.0.0.1");

        var message = await fixture.RefusedAsync(new { url = $"http://public.example:{redirector.Port}/go" });

        Assert.Equal(expected.Replace("{port}", port, StringComparison.Ordinal).Replace("{redirector}", redirector.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), message);
        Assert.Single(redirector.Requests);
        Assert.Empty(_victim.Requests);
    }
}
