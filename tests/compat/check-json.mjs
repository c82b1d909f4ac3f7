// Checks what the official CLI printed for `openclaw gateway call <method> --json` (or
// `openclaw health --json`) against the payload shape the reference gateway answered
// (/work/shared/protocol/reference-transcript.jsonl conn 1-4; PROTOCOL.md section 4).
//
//   node tests/compat/check-json.mjs <health|status|sessions.list|sessions.list:has-session=KEY> FILE
//
// Exit 0 and print nothing when the JSON holds every required key; else print what is wrong
// and exit 1. Keys the reference gateway also sent but that describe its own Node process
// (pid, processMemory, eventLoop CPU figures, ...) are not required: missing ones are printed
// as a `note:` line and do not fail the check.

import { readFileSync } from "node:fs";

const [spec, file] = process.argv.slice(2);
if (!spec || !file) {
  console.error("usage: check-json.mjs <method>[:has-session=KEY] FILE");
  process.exit(2);
}
const colon = spec.indexOf(":");
const method = colon < 0 ? spec : spec.slice(0, colon);
const option = colon < 0 ? undefined : spec.slice(colon + 1);

// required: paths that must be present (a.b = key b inside object a; a[].b = key b in every
// element of array a). types: extra type expectations. notes: reference-only keys.
const SHAPES = {
  health: {
    required: [
      "ok", "ts", "durationMs", "plugins", "plugins.loaded", "plugins.errors", "plugins.unavailable",
      "configReload", "channels", "channelOrder", "channelLabels", "heartbeatSeconds", "defaultAgentId",
      "agents", "agents[].agentId", "agents[].isDefault", "agents[].heartbeat", "agents[].sessions",
      "sessions", "sessions.path", "sessions.count", "sessions.recent",
      "modelRuntime", "modelRuntime.degraded", "modelRuntime.pendingAgents",
      "eventLoop", "eventLoop.degraded", "eventLoop.reasons",
    ],
    types: { ok: "true", ts: "number", durationMs: "number", channels: "object", channelOrder: "array", agents: "array", "sessions.count": "number", "sessions.recent": "array" },
    notes: [
      "eventLoop.degradedSinceMs", "eventLoop.intervalMs", "eventLoop.delayP99Ms", "eventLoop.delayMaxMs",
      "eventLoop.utilization", "eventLoop.cpuCoreRatio", "eventLoop.cpuBreakdown",
    ],
  },
  status: {
    required: [
      "runtimeVersion", "heartbeat", "heartbeat.defaultAgentId", "heartbeat.agents", "channelSummary",
      "queuedSystemEvents", "sessions", "sessions.paths", "sessions.count", "sessions.defaults",
      "sessions.recent", "sessions.byAgent", "tasks", "tasks.total", "tasks.active", "tasks.terminal",
      "tasks.failures", "tasks.byStatus", "tasks.byRuntime",
    ],
    types: { runtimeVersion: "string", channelSummary: "array", "sessions.count": "number", "sessions.recent": "array" },
    notes: [
      "hostDesktop", "degradedSecretOwners", "degradedPlugins", "taskAudit", "modelRuntime", "eventLoop",
      "pid", "processMemory", "workerPools", "shutdownBudget",
    ],
  },
  "sessions.list": {
    required: [
      "ts", "path", "count", "totalCount", "limitApplied", "nextOffset", "hasMore", "owners", "defaults",
      "defaults.modelProvider", "defaults.model", "defaults.contextTokens", "sessions",
    ],
    types: { ts: "number", count: "number", totalCount: "number", hasMore: "boolean", sessions: "array" },
    notes: [
      "defaults.agentRuntime", "defaults.thinkingLevels", "defaults.thinkingOptions",
      "defaults.thinkingDefault", "defaults.modelSelectionTarget",
    ],
  },
};

const shape = SHAPES[method];
if (!shape) {
  console.error(`check-json.mjs: unknown method ${method}`);
  process.exit(2);
}

let data;
const raw = readFileSync(file, "utf8");
try {
  data = JSON.parse(raw);
} catch {
  // Tolerate log lines around the JSON document: take the outermost {...}.
  const start = raw.indexOf("{");
  const end = raw.lastIndexOf("}");
  try {
    data = JSON.parse(raw.slice(start, end + 1));
  } catch {
    console.log(`output is not JSON: ${JSON.stringify(raw.slice(0, 300))}`);
    process.exit(1);
  }
}
if (!data || typeof data !== "object" || Array.isArray(data)) {
  console.log(`output is not a JSON object: ${JSON.stringify(data).slice(0, 300)}`);
  process.exit(1);
}

/** Values at a path; `a[]` fans out over array elements. Returns [] when a step is missing. */
function lookup(root, pathText) {
  let current = [root];
  for (const step of pathText.split(".")) {
    const fanOut = step.endsWith("[]");
    const key = fanOut ? step.slice(0, -2) : step;
    const next = [];
    for (const value of current) {
      if (!value || typeof value !== "object" || !Object.hasOwn(value, key)) return [];
      const child = value[key];
      if (fanOut) {
        if (!Array.isArray(child)) return [];
        next.push(...child);
      } else {
        next.push(child);
      }
    }
    current = next;
  }
  return current;
}
function present(root, pathText) {
  if (!pathText.includes("[]")) return lookup(root, pathText).length === 1;
  // Every element of the fanned-out array must have the key.
  const arrayPath = pathText.slice(0, pathText.lastIndexOf("[]"));
  const elements = lookup(root, arrayPath).flatMap((v) => (Array.isArray(v) ? v : []));
  const key = pathText.slice(pathText.lastIndexOf("[]") + 3);
  return elements.every((e) => e && typeof e === "object" && Object.hasOwn(e, key));
}
function typeOk(value, expected) {
  switch (expected) {
    case "true": return value === true;
    case "array": return Array.isArray(value);
    case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
    default: return typeof value === expected;
  }
}

const problems = [];
const missing = shape.required.filter((p) => !present(data, p));
if (missing.length) problems.push(`missing keys: ${missing.join(", ")}`);
for (const [p, expected] of Object.entries(shape.types)) {
  const [value] = lookup(data, p);
  if (present(data, p) && !typeOk(value, expected)) problems.push(`${p} should be ${expected}, is ${JSON.stringify(value)}`);
}
if (option?.startsWith("has-session=")) {
  const key = option.slice("has-session=".length);
  const keys = Array.isArray(data.sessions) ? data.sessions.map((s) => s?.key) : [];
  if (!keys.includes(key)) problems.push(`sessions[] has no row with key ${key} (keys: ${JSON.stringify(keys)})`);
}
const absentNotes = shape.notes.filter((p) => !present(data, p));
if (absentNotes.length) console.log(`note: the reference also had ${absentNotes.join(", ")} (not required)`);
if (problems.length) {
  console.log(problems.join("; "));
  process.exit(1);
}
