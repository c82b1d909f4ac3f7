using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenClaw.Silo.Tenants;

namespace OpenClaw.Silo;

/// <summary>Prints where to connect (ws URL and the demo tenant's token) once the server listens.</summary>
internal static class StartupBanner
{
    public static void Register(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var announcement = app.Services.GetRequiredService<DemoTenantAnnouncement>();
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenClaw.Silo");
            foreach (var address in addresses)
            {
                var ws = address.Replace("http://", "ws://", StringComparison.Ordinal).Replace("https://", "wss://", StringComparison.Ordinal);
                SiloLog.Listening(logger, ws);
                Console.WriteLine($"OpenClaw gateway: {ws}");
            }
            if (announcement.Token is not null)
                Console.WriteLine($"Demo tenant '{announcement.TenantId}' token: {announcement.Token}");
        });
    }
}
