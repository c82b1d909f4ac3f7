// `exec host=node` through the official headless node host, with an operator approval
// (AGENT.md §5, §7, §9). run.sh starts `openclaw node run` (display name --node-name) first and
// stops it after; the tenant's model is tests/compat/fake-model.mjs.
//
//   node tests/compat/node-exec.mjs --cache <client cache> --url ws://127.0.0.1:PORT --token TOKEN
//                                   --node-name NAME [--events FILE] [--timeout-ms 90000]
//
// 1. An operator socket (caps ["tool-events"]) sets tools.exec.ask "always" (config.patch) and waits
//    until node.list shows NAME connected; a node whose command surface awaits approval is approved
//    with node.pair.approve (what the reference run's operator did).
// 2. An approver socket (scope operator.approvals, cap exec-approvals, like the reference's) answers
//    every exec.approval.requested with exec.approval.resolve {id, decision:"allow-once"}.
// 3. "TOOLTEST exec <tag>": the model calls exec {command:"echo compat-exec", host:"node"}; the run
//    must end with the command's output in the tool result and the final answer.
// 4. The approver, which holds only operator.approvals, must not get chat/agent events.
// Prints CHECK PASS/FAIL lines.

import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import {
  agentEvents, check, errorText, fail, failed, loadGatewayClient, openSession, pass, runChat, short, sleep, textOf, watchdog,
} from "./gateway-session.mjs";

const { values: args } = parseArgs({
  options: {
    cache: { type: "string", default: process.env.OPENCLAW_CLIENT_CACHE ?? "" },
    url: { type: "string" },
    token: { type: "string" },
    "node-name": { type: "string" },
    events: { type: "string" },
    "timeout-ms": { type: "string", default: "90000" },
  },
});
if (!args.cache || !args.url || !args.token || !args["node-name"]) {
  console.error("usage: node-exec.mjs --cache DIR --url ws://127.0.0.1:PORT --token TOKEN --node-name NAME");
  process.exit(2);
}
const timeoutMs = Number(args["timeout-ms"]);
watchdog(2 * timeoutMs + 30000, "node: finished in time");
const nodeName = args["node-name"];
const output = "compat-exec";
const tag = `x${randomBytes(4).toString("hex")}`;
const sessionKey = `agent:main:compat-node-${tag}`;
const execId = `call_x_${tag}`;

const GatewayClient = await loadGatewayClient(args.cache);
let operator;
let approver;
try {
  operator = await openSession(GatewayClient, {
    url: args.url, token: args.token, eventsFile: args.events, label: "operator",
    clientDisplayName: "compat-node-operator", caps: ["tool-events"],
    scopes: ["operator.admin", "operator.read", "operator.write", "operator.approvals", "operator.pairing"],
  });
  approver = await openSession(GatewayClient, {
    url: args.url, token: args.token, eventsFile: args.events, label: "approver",
    clientDisplayName: "compat-node-approver", caps: ["exec-approvals"], scopes: ["operator.approvals"],
  });
  pass("node: operator and approver sockets connected");
} catch (error) {
  fail("node: operator and approver sockets connected", errorText(error));
  process.exit(1);
}

try {
  await operator.client.request("config.patch", { raw: { tools: { exec: { ask: "always" } } } });
  pass("node: config.patch tools.exec.ask \"always\"");
} catch (error) {
  fail("node: config.patch tools.exec.ask \"always\"", errorText(error));
}

// The node connects and its command surface gets approved.
let node;
const deadline = Date.now() + timeoutMs;
let lastList;
let approvedRequest;
while (Date.now() < deadline) {
  try {
    lastList = await operator.client.request("node.list", {});
    node = (lastList?.nodes ?? []).find((n) => n?.displayName === nodeName && n.connected === true);
    if (node && node.approvalState !== "approved" && node.pendingRequestId && approvedRequest !== node.pendingRequestId) {
      approvedRequest = node.pendingRequestId;
      await operator.client.request("node.pair.approve", { requestId: node.pendingRequestId });
      continue;
    }
    if (node && (node.approvalState === undefined || node.approvalState === "approved")) break;
  } catch (error) {
    lastList = errorText(error);
  }
  await sleep(500);
}
const nodeReady = node && (node.approvalState === undefined || node.approvalState === "approved");
if (!nodeReady) {
  fail("node: node.list shows the node host connected and approved", `last node.list: ${short(lastList)}`);
} else {
  const problems = [];
  if (node.clientId !== "node-host") problems.push(`clientId ${short(node.clientId)}`);
  if (!Array.isArray(node.commands) || !node.commands.includes("system.run")) problems.push(`commands ${short(node.commands)} lack system.run`);
  check(`node: node.list shows the node host connected and approved${approvedRequest ? " (after node.pair.approve)" : ""}`, problems);
}

// The approver resolves every exec approval it is asked for.
const approvals = [];
approver.onEach((evt) => {
  if (evt.event !== "exec.approval.requested" || approvals.some((a) => a.id === evt.payload?.id)) return;
  const entry = { id: evt.payload?.id, request: evt.payload?.request, resolved: null };
  approvals.push(entry);
  approver.client.request("exec.approval.resolve", { id: entry.id, decision: "allow-once" })
    .then((answer) => { entry.resolved = answer ?? { ok: true }; })
    .catch((error) => { entry.resolved = { error: errorText(error) }; });
});

if (nodeReady) {
  let run;
  try {
    run = await runChat(operator, { sessionKey, message: `TOOLTEST exec ${tag}`, idempotencyKey: randomUUID(), timeoutMs });
  } catch (error) {
    fail("node: exec run finishes", `${errorText(error)}; approvals: ${short(approvals)}`);
  }

  const approvalProblems = [];
  if (approvals.length === 0) approvalProblems.push("no exec.approval.requested reached the approver");
  else {
    const first = approvals[0];
    if (!JSON.stringify(first.request ?? {}).includes(output)) approvalProblems.push(`request does not show the command: ${short(first.request)}`);
    if (!first.resolved || first.resolved.error) approvalProblems.push(`exec.approval.resolve: ${short(first.resolved)}`);
  }
  check("node: exec.approval.requested reached the approver and was resolved allow-once", approvalProblems);

  if (run) {
    const text = textOf(run.terminal.payload?.message);
    const toolResult = agentEvents(operator, run.runId, "tool")
      .find((e) => e.payload?.data?.name === "exec" && e.payload?.data?.phase === "result");
    const resultText = textOf(toolResult?.payload?.data?.result?.content);
    const problems = [];
    if (run.terminal.payload?.state !== "final") problems.push(`run ended with ${short(run.terminal.payload)}`);
    if (!toolResult) problems.push("no exec tool result event");
    else {
      if (toolResult.payload.data.toolCallId !== execId) problems.push(`toolCallId ${short(toolResult.payload.data.toolCallId)}`);
      if (toolResult.payload.data.isError !== false) problems.push(`isError=${short(toolResult.payload.data.isError)}: ${short(resultText)}`);
      if (!resultText.includes(output)) problems.push(`tool result text ${short(resultText)} lacks ${output}`);
    }
    if (!text.includes(output)) problems.push(`final text ${short(text)} lacks ${output}`);
    check("node: exec host=node ran on the node host and the output came back", problems);

    try {
      const history = await operator.client.request("chat.history", { sessionKey, limit: 50 });
      const result = (history?.messages ?? []).find((m) => m?.role === "toolResult" && m.toolCallId === execId);
      check("node: chat.history has the exec toolResult with the output",
        !result ? [`no toolResult for ${execId}; roles ${short((history?.messages ?? []).map((m) => m?.role))}`]
          : textOf(result.content).includes(output) ? [] : [`toolResult text ${short(textOf(result.content))}`]);
    } catch (error) {
      fail("node: chat.history has the exec toolResult with the output", errorText(error));
    }
  }
}

// The reference's approver (scope operator.approvals only) got no chat/agent/presence traffic:
// the real gateway sends those only to sockets that may read.
const readOnlyEvents = approver.events.filter((evt) => ["chat", "agent", "presence", "session.message", "session.tool"].includes(evt.event));
check("node: the approvals-only socket gets no chat/agent events (as the reference's approver)",
  readOnlyEvents.length ? [`got ${readOnlyEvents.length}: ${short([...new Set(readOnlyEvents.map((e) => e.event))])}`] : []);

for (const [label, session] of [["operator", operator], ["approver", approver]]) {
  if (session.gaps.length) fail(`node: event seq without gaps (${label})`, short(session.gaps));
}
await operator.stop();
await approver.stop();
process.exit(failed() ? 1 : 0);
