namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// Where initdb and pg_ctl are, found like scripts/test.sh finds them: <c>OPENCLAW_PG_BIN</c>, then
/// PostgreSQL 15, then the newest installed Debian version, then PATH. Missing binaries fail the
/// tests (they are not skipped): CI must run them.
/// </summary>
internal static class PostgresBinaries
{
    public static string Directory()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("OPENCLAW_PG_BIN"), "/usr/lib/postgresql/15/bin" };
        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(Path.Combine(c, "pg_ctl")) && File.Exists(Path.Combine(c, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found: install them (apt-get install -y postgresql) " +
                "or set OPENCLAW_PG_BIN to the directory holding them. The cluster tests need a PostgreSQL they can stop and start.");
    }
}
