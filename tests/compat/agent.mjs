// A tool-using agent run through OpenClaw's own GatewayClient against our gateway, on a tenant
// whose model is tests/compat/fake-model.mjs (AGENT.md §3, §9):
//
//   node tests/compat/agent.mjs --cache <client cache> --url ws://127.0.0.1:PORT --token TOKEN
//                               [--model-log FILE] [--events FILE] [--timeout-ms 60000]
//
// Two sockets of the tenant: one with connect caps ["tool-events"] (it sends the chat), one
// without. The model writes notes/probe.txt, reads it back and answers "DONE <tag> read=ok".
// Checks: the cap socket gets `agent` stream:"tool" start/result for write and read; the other
// gets none of them but gets the stream:"item" start/end; chat.history holds the assistant
// toolCall blocks and the toolResult messages in the official shapes; no seq gaps. With
// --model-log, also what the model was offered and sent back. Prints CHECK PASS/FAIL lines.

import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  agentEvents, check, errorText, fail, failed, loadGatewayClient, openSession, pass, runChat, short, textOf, watchdog,
} from "./gateway-session.mjs";

const { values: args } = parseArgs({
  options: {
    cache: { type: "string", default: process.env.OPENCLAW_CLIENT_CACHE ?? "" },
    url: { type: "string" },
    token: { type: "string" },
    "model-log": { type: "string" },
    events: { type: "string" },
    "timeout-ms": { type: "string", default: "60000" },
  },
});
if (!args.cache || !args.url || !args.token) {
  console.error("usage: agent.mjs --cache DIR --url ws://127.0.0.1:PORT --token TOKEN [--model-log FILE]");
  process.exit(2);
}
const timeoutMs = Number(args["timeout-ms"]);
watchdog(timeoutMs + 45000, "agent: finished in time");

const tag = `t${randomBytes(4).toString("hex")}`;
const sessionKey = `agent:main:compat-tools-${tag}`;
const writeId = `call_w_${tag}`;
const readId = `call_r_${tag}`;
const probePath = "notes/probe.txt";
const probeContent = `probe ${tag}\n`;

const GatewayClient = await loadGatewayClient(args.cache);
let withCap;
let withoutCap;
try {
  withCap = await openSession(GatewayClient, {
    url: args.url, token: args.token, eventsFile: args.events, label: "tool-events",
    clientDisplayName: "compat-agent-toolev", caps: ["tool-events"], scopes: ["operator.admin", "operator.read", "operator.write"],
  });
  withoutCap = await openSession(GatewayClient, {
    url: args.url, token: args.token, eventsFile: args.events, label: "nocap",
    clientDisplayName: "compat-agent-nocap", caps: [], scopes: ["operator.read", "operator.write"],
  });
  pass("agent: two GatewayClient sockets connected (caps [\"tool-events\"] and none)");
} catch (error) {
  fail("agent: two GatewayClient sockets connected (caps [\"tool-events\"] and none)", errorText(error));
  process.exit(1);
}

let run;
try {
  run = await runChat(withCap, { sessionKey, message: `TOOLTEST write ${tag}`, idempotencyKey: randomUUID(), timeoutMs });
  const text = textOf(run.terminal.payload?.message);
  if (run.terminal.payload?.state !== "final") fail("agent: write-then-read run ends with the model's answer", `run ended with ${short(run.terminal.payload)}`);
  else if (!text.includes(`DONE ${tag} read=ok`)) fail("agent: write-then-read run ends with the model's answer", `final text ${short(text)} lacks "DONE ${tag} read=ok"`);
  else pass(`agent: write-then-read run ends with "${short(text, 60)}"`);
} catch (error) {
  fail("agent: write-then-read run ends with the model's answer", `${errorText(error)}; events seen: ${short(withCap.events.map((e) => e.event === "agent" ? `agent/${e.payload?.stream}/${e.payload?.data?.phase}` : e.event))}`);
}

if (run) {
  // Both sockets get the broadcast `chat` final; give the second one a moment to receive it.
  try {
    await withoutCap.waitForEvent((evt) => evt.event === "chat" && evt.payload?.runId === run.runId && evt.payload?.state === "final", 10000, "the final on the socket without the cap");
  } catch {
    // reported by the checks below
  }

  // Tool events: the cap socket only.
  const toolEvents = agentEvents(withCap, run.runId, "tool");
  const phase = (name, id, p) => toolEvents.find((e) => e.payload?.data?.name === name && e.payload?.data?.toolCallId === id && e.payload?.data?.phase === p);
  const problems = [];
  for (const [name, id, argsWanted] of [["write", writeId, { path: probePath, content: probeContent }], ["read", readId, { path: probePath }]]) {
    const start = phase(name, id, "start");
    const result = phase(name, id, "result");
    if (!start) problems.push(`no ${name} start`);
    else if (start.payload.data.args?.path !== argsWanted.path) problems.push(`${name} start args ${short(start.payload.data.args)}`);
    if (!result) problems.push(`no ${name} result`);
    else {
      const data = result.payload.data;
      if (data.isError !== false) problems.push(`${name} result isError=${short(data.isError)}`);
      if (!Array.isArray(data.result?.content) || data.result.content[0]?.type !== "text") problems.push(`${name} result.result.content ${short(data.result)}`);
    }
    if (start && result && withCap.events.indexOf(start) > withCap.events.indexOf(result)) problems.push(`${name} result before start`);
  }
  const readResult = phase("read", readId, "result");
  if (readResult && !textOf(readResult.payload.data.result?.content).includes(`probe ${tag}`)) problems.push(`read result text ${short(textOf(readResult.payload.data.result?.content))} lacks the written content`);
  check("agent: the tool-events socket gets stream \"tool\" start/result for write and read", problems.length ? [...problems, `tool events: ${short(toolEvents.map((e) => e.payload?.data))}`] : []);

  const leaked = agentEvents(withoutCap, run.runId, "tool");
  check("agent: the socket without the cap gets no stream \"tool\" events", leaked.length ? [`got ${leaked.length}: ${short(leaked.map((e) => e.payload?.data?.phase))}`] : []);

  const itemProblems = [];
  for (const [label, session] of [["nocap", withoutCap], ["tool-events", withCap]]) {
    const items = agentEvents(session, run.runId, "item");
    for (const [name, id] of [["write", writeId], ["read", readId]]) {
      const start = items.find((e) => e.payload?.data?.itemId === `tool:${id}` && e.payload?.data?.phase === "start");
      const end = items.find((e) => e.payload?.data?.itemId === `tool:${id}` && e.payload?.data?.phase === "end");
      if (!start) itemProblems.push(`${label}: no item start for ${name}`);
      else if (start.payload.data.kind !== "tool" || start.payload.data.name !== name || start.payload.data.status !== "running") itemProblems.push(`${label}: item start ${short(start.payload.data)}`);
      if (!end) itemProblems.push(`${label}: no item end for ${name}`);
      else if (end.payload.data.status !== "completed") itemProblems.push(`${label}: item end status ${short(end.payload.data.status)}`);
    }
  }
  check("agent: both sockets get stream \"item\" start/end for write and read", itemProblems);

  // History in the official shapes.
  try {
    const history = await withCap.client.request("chat.history", { sessionKey, limit: 50 });
    const messages = Array.isArray(history?.messages) ? history.messages : [];
    const historyProblems = [];
    const toolCallOf = (id) => messages.findIndex((m) => m?.role === "assistant" && Array.isArray(m.content) && m.content.some((b) => b?.type === "toolCall" && b.id === id));
    const resultOf = (id) => messages.findIndex((m) => m?.role === "toolResult" && m.toolCallId === id);
    const user = messages.findIndex((m) => m?.role === "user" && textOf(m).includes(`TOOLTEST write ${tag}`));
    const final = messages.findLastIndex((m) => m?.role === "assistant" && textOf(m).includes(`DONE ${tag}`));
    const order = [user, toolCallOf(writeId), resultOf(writeId), toolCallOf(readId), resultOf(readId), final];
    const names = ["user", "assistant toolCall write", "toolResult write", "assistant toolCall read", "toolResult read", "assistant final"];
    order.forEach((index, i) => { if (index < 0) historyProblems.push(`no ${names[i]}`); });
    if (!historyProblems.length && order.some((index, i) => i > 0 && index <= order[i - 1])) historyProblems.push(`out of order: ${short(order)}`);
    for (const [name, id] of [["write", writeId], ["read", readId]]) {
      const call = messages[toolCallOf(id)];
      const block = call?.content?.find((b) => b?.type === "toolCall" && b.id === id);
      if (block && (block.name !== name || typeof block.arguments !== "object" || block.arguments?.path !== probePath)) historyProblems.push(`toolCall block ${short(block)}`);
      if (call && call.stopReason !== "toolUse") historyProblems.push(`assistant with ${name} toolCall has stopReason ${short(call.stopReason)}`);
      const result = messages[resultOf(id)];
      if (result) {
        if (result.toolName !== name) historyProblems.push(`toolResult toolName ${short(result.toolName)}`);
        if (result.isError !== false) historyProblems.push(`toolResult ${name} isError=${short(result.isError)}`);
        if (!Array.isArray(result.content) || result.content[0]?.type !== "text") historyProblems.push(`toolResult ${name} content ${short(result.content)}`);
      }
    }
    check(`agent: chat.history has toolCall blocks and toolResult messages (${messages.length} messages)`,
      historyProblems.length ? [...historyProblems, `roles: ${short(messages.map((m) => m?.role))}`] : []);
  } catch (error) {
    fail("agent: chat.history has toolCall blocks and toolResult messages", errorText(error));
  }

  // What the model saw (the fake model's log): the tools offered and the results sent back.
  if (args["model-log"] && existsSync(args["model-log"])) {
    const requests = readFileSync(args["model-log"], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
      .filter((r) => r.messages.some((m) => m.role === "user" && m.text.includes(`TOOLTEST write ${tag}`)));
    const modelProblems = [];
    if (requests.length !== 3) modelProblems.push(`${requests.length} model requests (expected 3)`);
    const offered = requests[0]?.tools ?? [];
    for (const tool of ["write", "read"]) if (!offered.includes(tool)) modelProblems.push(`tools offered ${short(offered)} lack ${tool}`);
    const last = requests.at(-1)?.messages ?? [];
    const toolMessages = last.filter((m) => m.role === "tool");
    // The real gateway shortens ids for the model (call_w_x -> callwx); either spelling is fine.
    const sameId = (a, b) => a === b || a?.replace(/[^A-Za-z0-9]/g, "") === b.replace(/[^A-Za-z0-9]/g, "");
    if (toolMessages.length !== 2) modelProblems.push(`${toolMessages.length} role "tool" messages in the last request`);
    else if (!sameId(toolMessages[0].toolCallId, writeId) || !sameId(toolMessages[1].toolCallId, readId)) modelProblems.push(`tool_call_ids ${short(toolMessages.map((m) => m.toolCallId))}`);
    check("agent: the model was offered write/read and got both results back as role \"tool\"", modelProblems);
  }
}

for (const [label, session] of [["tool-events", withCap], ["nocap", withoutCap]]) {
  if (session.gaps.length) fail(`agent: event seq without gaps (${label})`, short(session.gaps));
}
await withCap.stop();
await withoutCap.stop();
process.exit(failed() ? 1 : 0);
