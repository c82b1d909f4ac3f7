using System.Reflection;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// The executables the tests start. The test project references the silo project (without using
/// its assembly) so that building the solution or this project builds it first; its path for this
/// build configuration is written into this assembly at build time.
/// </summary>
internal static class BuiltExecutables
{
    public static string SiloDll => Locate("OpenClaw.SiloDll");

    private static string Locate(string key)
    {
        var path = typeof(BuiltExecutables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata (see OpenClaw.Cluster.Tests.csproj).");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} does not exist: build the solution first (dotnet build OpenClaw.Orleans.sln -c Release).", path);
        return path;
    }
}
