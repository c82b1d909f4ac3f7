// A chat run through OpenClaw's own client class (GatewayClient from
// `openclaw/plugin-sdk/gateway-runtime`, npm openclaw@2026.9.6) against our gateway.
//
//   node tests/compat/chat.mjs --cache <client cache dir> --url ws://127.0.0.1:PORT --token TOKEN
//                              [--message "hello compat"] [--session agent:main:main] [--events FILE]
//
// Run it with Node 24 (the one in the cache). It connects like any GatewayClient embedder does
// (client gateway-client/backend; the default host deps create and sign a device identity under
// $HOME/.openclaw), sends `chat.send`, waits for the run's `chat` event with state "final", then
// reads `chat.history`. Every check prints one line, `CHECK PASS <name>` or
// `CHECK FAIL <name><TAB><why>`, which run.sh counts. Exit status 0 only when all passed.
// --events FILE appends every event the client received, one JSON object per line.

import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    cache: { type: "string", default: process.env.OPENCLAW_CLIENT_CACHE ?? "" },
    url: { type: "string" },
    token: { type: "string" },
    message: { type: "string", default: "hello compat" },
    session: { type: "string", default: "agent:main:main" },
    events: { type: "string" },
    "timeout-ms": { type: "string", default: "30000" },
  },
});
if (!args.cache || !args.url || !args.token) {
  console.error("usage: chat.mjs --cache DIR --url ws://127.0.0.1:PORT --token TOKEN [--message TEXT]");
  process.exit(2);
}
const runTimeoutMs = Number(args["timeout-ms"]);

let failed = 0;
function pass(name) {
  console.log(`CHECK PASS ${name}`);
}
function fail(name, why) {
  failed += 1;
  console.log(`CHECK FAIL ${name}\t${String(why).replace(/[\r\n\t]+/g, " ")}`);
}
function short(value, max = 600) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > max ? `${text.slice(0, max)}…` : text;
}
function errorText(error) {
  if (!(error instanceof Error)) return short(error);
  const extra = ["code", "details", "gatewayCode"]
    .filter((k) => error[k] !== undefined)
    .map((k) => `${k}=${short(error[k], 300)}`);
  return [`${error.name}: ${error.message}`, ...extra].join(" ");
}
/** Text of a transcript/chat message: `content` is a string or an array of parts. */
function messageText(message) {
  if (!message || typeof message !== "object") return "";
  const { content } = message;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "string" ? part : typeof part?.text === "string" ? part.text : ""))
      .join("");
  }
  return typeof message.text === "string" ? message.text : "";
}
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// Resolve the package the way a dependent of the cache folder would (honours its exports map).
const requireFromCache = createRequire(path.join(path.resolve(args.cache), "package.json"));
const entry = requireFromCache.resolve("openclaw/plugin-sdk/gateway-runtime");
const { GatewayClient } = await import(pathToFileURL(entry).href);

// Hard stop: whatever happens, never hang CI.
const watchdog = setTimeout(() => {
  fail("chat: finished in time", `chat.mjs did not finish within ${runTimeoutMs + 45000} ms`);
  process.exit(1);
}, runTimeoutMs + 45000);
watchdog.unref();

const events = [];
const eventWaiters = new Set();
const gaps = [];
let hello;
let resolveHello;
let rejectHello;
const helloPromise = new Promise((resolve, reject) => {
  resolveHello = resolve;
  rejectHello = reject;
});
const closes = [];

function waitForEvent(predicate, ms, what) {
  const found = events.find(predicate);
  if (found) return Promise.resolve(found);
  let waiter;
  const promise = new Promise((resolve) => {
    waiter = { predicate, resolve };
    eventWaiters.add(waiter);
  });
  return withTimeout(promise, ms, what).finally(() => eventWaiters.delete(waiter));
}

const client = new GatewayClient({
  url: args.url,
  token: args.token,
  clientDisplayName: "openclaw-compat-chat",
  scopes: ["operator.admin", "operator.read", "operator.write"],
  requestTimeoutMs: 15000,
  onHelloOk: (h) => {
    hello = h;
    resolveHello(h);
  },
  onConnectError: (error) => rejectHello(error),
  onClose: (code, reason, info) => {
    closes.push({ code, reason, phase: info?.phase });
    if (!hello) rejectHello(new Error(`socket closed before hello-ok: ${code} ${reason}`));
  },
  onGap: (info) => gaps.push(info),
  onEvent: (evt) => {
    events.push(evt);
    if (args.events) appendFileSync(args.events, `${JSON.stringify(evt)}\n`);
    for (const waiter of eventWaiters) {
      if (waiter.predicate(evt)) waiter.resolve(evt);
    }
  },
});

let connected = false;
try {
  client.start();
  await withTimeout(helloPromise, 20000, "hello-ok");
  connected = true;
  const problems = [];
  if (hello?.type !== "hello-ok") problems.push(`type=${short(hello?.type)}`);
  if (hello?.protocol !== 4) problems.push(`protocol=${short(hello?.protocol)}`);
  const scopes = hello?.auth?.scopes ?? [];
  if (!scopes.includes("operator.write") && !scopes.includes("operator.admin")) {
    problems.push(`auth.scopes=${short(scopes)} lacks operator.write/admin`);
  }
  const hasDevice = client.getConnectionMetadata().hasDeviceIdentity;
  if (problems.length) fail("chat: GatewayClient connect (hello-ok)", problems.join("; "));
  else pass(`chat: GatewayClient connect (hello-ok, signed device: ${hasDevice ? "yes" : "no"})`);
} catch (error) {
  fail("chat: GatewayClient connect (hello-ok)", errorText(error));
}

if (connected) {
  const sessionKey = args.session;
  const idempotencyKey = randomUUID();
  let ack;
  try {
    ack = await client.request("chat.send", { sessionKey, message: args.message, idempotencyKey });
    const problems = [];
    if (ack?.runId !== idempotencyKey) problems.push(`runId=${short(ack?.runId)} (expected the idempotencyKey ${idempotencyKey})`);
    if (ack?.status !== "started") problems.push(`status=${short(ack?.status)} (expected "started")`);
    if (problems.length) fail("chat: chat.send ack", `${problems.join("; ")}; payload ${short(ack)}`);
    else pass("chat: chat.send ack {runId, status:\"started\"}");
  } catch (error) {
    fail("chat: chat.send ack", errorText(error));
  }

  if (ack) {
    const runId = ack.runId ?? idempotencyKey;
    const ofRun = (evt) => evt.event === "chat" && evt.payload?.runId === runId;
    try {
      const terminal = await waitForEvent(
        (evt) => ofRun(evt) && ["final", "error", "aborted"].includes(evt.payload?.state),
        runTimeoutMs,
        `a chat event with state "final" for run ${runId}`,
      );
      const text = messageText(terminal.payload.message);
      if (terminal.payload.state !== "final") {
        fail("chat: chat event state \"final\"", `run ended with ${short(terminal.payload)}`);
      } else if (!text.includes(args.message)) {
        fail("chat: chat event state \"final\"", `final message text ${short(text)} does not contain ${short(args.message)}; payload ${short(terminal.payload)}`);
      } else if (terminal.payload.sessionKey !== undefined && terminal.payload.sessionKey !== sessionKey) {
        fail("chat: chat event state \"final\"", `sessionKey ${short(terminal.payload.sessionKey)} != ${sessionKey}`);
      } else {
        pass(`chat: chat event state "final" with ${short(text, 80)}`);
      }
    } catch (error) {
      const seen = events.filter(ofRun).map((evt) => evt.payload?.state);
      fail("chat: chat event state \"final\"", `${errorText(error)}; chat states seen for this run: ${short(seen)}; events seen: ${short(events.map((e) => e.event))}`);
    }

    try {
      const history = await client.request("chat.history", { sessionKey, limit: 50 });
      const messages = Array.isArray(history?.messages) ? history.messages : null;
      if (!messages) {
        fail("chat: chat.history has user + assistant messages", `no messages array: ${short(history)}`);
      } else {
        const user = messages.find((m) => m?.role === "user" && messageText(m).includes(args.message));
        const assistant = messages.find(
          (m) => m?.role === "assistant" && messageText(m).includes(args.message),
        );
        const problems = [];
        if (!user) problems.push("no user message with the sent text");
        if (!assistant) problems.push("no assistant message echoing it");
        if (user && assistant && messages.indexOf(user) > messages.indexOf(assistant)) problems.push("assistant message precedes the user message");
        if (history.sessionKey !== undefined && history.sessionKey !== sessionKey) problems.push(`sessionKey=${short(history.sessionKey)}`);
        if (problems.length) {
          fail("chat: chat.history has user + assistant messages", `${problems.join("; ")}; messages ${short(messages.map((m) => ({ role: m?.role, text: messageText(m) })))}`);
        } else {
          pass(`chat: chat.history has user + assistant messages (${messages.length} messages)`);
        }
      }
    } catch (error) {
      fail("chat: chat.history has user + assistant messages", errorText(error));
    }
  }

  if (gaps.length) fail("chat: event seq without gaps", `the client fired onGap: ${short(gaps)}`);
  else pass(`chat: event seq without gaps (${events.length} events)`);
}

try {
  await withTimeout(client.stopAndWait({ timeoutMs: 5000 }), 8000, "client stop");
} catch {
  client.stop();
}
if (failed && closes.length) console.log(`chat: socket closes seen: ${short(closes)}`);
process.exit(failed ? 1 : 0);
