namespace OpenClaw.Grains.Agent;

/// <summary>The <c>exec</c> tool's name, description and parameter schema as the reference offers them (reference-agent-tools.json).</summary>
internal static class ExecToolSchema
{
    public const string Name = "exec";

    public const string Description =
        "Run a shell command on the tenant's connected node (host=node) and return its output. " +
        "Commands never run on the gateway; with no node connected exec fails. " +
        "Quote arguments containing shell metacharacters, including URL query strings with `?` or `&`.";

    public const string ParametersJson = """
        {"type":"object","required":["command"],"properties":{
        "title":{"type":"string","maxLength":120,"description":"Every call: short purpose; never claim success. No secrets."},
        "command":{"type":"string","description":"Shell command."},
        "workdir":{"type":"string","description":"Omit/empty string: default; whitespace-only invalid."},
        "env":{"type":"object","patternProperties":{"^.*$":{"type":"string"}},"description":"Literal overrides; no expansion. Omit to inherit."},
        "yieldMs":{"type":"number","description":"Milliseconds before backgrounding; default 10000."},
        "background":{"type":"boolean","description":"Background now; timeoutSeconds applies."},
        "timeoutSeconds":{"type":"number","description":"Process lifetime in seconds; 0 disables."},
        "pty":{"type":"boolean","description":"PTY for TTY-required CLIs/coding agents."},
        "elevated":{"type":"boolean","description":"Host elevation if allowed."},
        "host":{"enum":["auto","sandbox","gateway","node"],"type":"string","description":"Omit/auto: inherit configured host."},
        "ask":{"type":"string","description":"Requests stricter approvals under tools.exec.mode and host policy; channel-origin calls cannot override host ask=off."},
        "node":{"type":"string","description":"Node id/name for host=node."}}}
        """;
}
