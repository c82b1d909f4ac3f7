using System.CommandLine;
using Spectre.Console;
using static OpenClaw.Cli.Format;

namespace OpenClaw.Cli.Commands;

/// <summary><c>multi-tenant export &lt;tenant&gt; -o file</c> and <c>import &lt;file&gt; [--replace]</c>: one tenant's data as a zip.</summary>
public static class ArchiveCommands
{
    /// <summary>The largest archive the CLI uploads (the server enforces its own limit too).</summary>
    public const long MaxUploadBytes = 4L * 1024 * 1024 * 1024;

    public static Command CreateExport(CommandFactory commands)
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant id." };
        var output = new Option<string>("--output", "-o") { Description = "The zip file to write.", Required = true };
        return commands.Create("export", "Export one tenant (config, sessions, transcripts, workspace) as a zip.", async (parse, context, ct) =>
        {
            var path = parse.GetValue(output)!;
            var partial = path + ".partial";
            long written;
            try
            {
                await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    written = await context.WithProgressAsync($"Exporting {parse.GetValue(tenant)}", update =>
                        context.Admin.DownloadAsync($"tenants/{Segment(parse.GetValue(tenant)!)}/export", file, bytes => update($"Exporting {parse.GetValue(tenant)}: {Bytes(bytes)}"), ct));
                }
                File.Move(partial, path, overwrite: true);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
            if (context.Json) context.Console.Out.WriteLine($"{{\"tenant\":\"{System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(parse.GetValue(tenant)!)}\",\"file\":\"{System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(Path.GetFullPath(path))}\",\"bytes\":{written}}}");
            else context.Ansi.MarkupLine(Escape($"wrote {Bytes(written)} to {path}"));
        }, tenant, output);
    }

    public static Command CreateImport(CommandFactory commands)
    {
        var file = new Argument<FileInfo>("file") { Description = "A zip written by export." };
        var replace = new Option<bool>("--replace") { Description = "Overwrite an existing tenant's data (default: the tenant must not exist)." };
        return commands.Create("import", "Import a tenant from an exported zip (restore or move).", async (parse, context, ct) =>
        {
            var source = parse.GetValue(file)!;
            if (!source.Exists) throw new CliException(ExitCodes.Usage, $"{source.FullName} does not exist.");
            if (source.Length > MaxUploadBytes) throw new CliException(ExitCodes.Usage, $"{source.FullName} is larger than {Bytes(MaxUploadBytes)}.");
            var mode = parse.GetValue(replace) ? "replace" : "create";
            await using var stream = source.OpenRead();
            var result = await context.WithProgressAsync($"Importing {source.Name} ({Bytes(source.Length)}, mode {mode})", _ =>
                context.Admin.UploadAsync($"tenants/import{Query(("mode", mode))}", stream, "application/zip", ct));
            if (context.Json)
            {
                context.WriteJson(result);
                return;
            }
            context.Ansi.MarkupLine(Escape(
                $"imported {Str(result["tenant"], "id")} ({Str(result, "mode")}): {Long(result, "stateRecords")} state records, {Long(result, "workspaceFiles")} workspace files"));
        }, file, replace);
    }
}
