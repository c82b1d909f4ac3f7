namespace OpenClaw.Runtime;

/// <summary>Keys of <see cref="SiloBoundAttribute"/> grains, and references to them.</summary>
public static class SiloBoundKeys
{
    /// <summary>The silo that receives the call: the caller's own silo, or a cluster client's gateway, or the single silo.</summary>
    public const string Local = "local";

    /// <summary>The key that addresses <paramref name="silo"/>.</summary>
    public static string For(SiloAddress silo) => silo.ToString();

    /// <summary>Reads a key of the form <c>host:port@generation</c> without throwing.</summary>
    public static bool TryParse(string key, out SiloAddress silo)
    {
        silo = default;
        // Cheap test first: most keys (tenant ids) are not silo addresses.
        if (string.IsNullOrEmpty(key) || key.Length > 300 || key.IndexOf('@') <= 0) return false;
        try
        {
            silo = SiloAddress.Parse(key);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The <typeparamref name="TGrain"/> activation on <paramref name="silo"/>.</summary>
    public static TGrain GetSiloGrain<TGrain>(this IGrainFactory factory, SiloAddress silo) where TGrain : IGrainWithStringKey =>
        factory.GetGrain<TGrain>(For(silo));
}
