// Helpers shared by the agent checks (agent.mjs, node-exec.mjs): CHECK lines for run.sh, bounded
// waits, and one OpenClaw GatewayClient (`openclaw/plugin-sdk/gateway-runtime`) with its events
// recorded, as chat.mjs uses it.

import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

let failures = 0;

export function failed() {
  return failures;
}

export function pass(name) {
  console.log(`CHECK PASS ${name}`);
}

export function fail(name, why) {
  failures += 1;
  console.log(`CHECK FAIL ${name}\t${String(why).replace(/[\r\n\t]+/g, " ")}`);
}

/** One check: PASS when `problems` is empty, else FAIL with them joined. */
export function check(name, problems) {
  if (problems.length) fail(name, problems.join("; "));
  else pass(name);
}

export function short(value, max = 600) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > max ? `${text.slice(0, max)}…` : text;
}

export function errorText(error) {
  if (!(error instanceof Error)) return short(error);
  const extra = ["code", "details", "gatewayCode"]
    .filter((k) => error[k] !== undefined)
    .map((k) => `${k}=${short(error[k], 300)}`);
  return [`${error.name}: ${error.message}`, ...extra].join(" ");
}

/** Text of a message or content-block list: a string or an array of parts. */
export function textOf(value) {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === "string" ? part : typeof part?.text === "string" ? part.text : "")).join("");
  if (value && typeof value === "object") return textOf(value.content ?? value.text ?? "");
  return "";
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hard stop: whatever happens, never hang CI. */
export function watchdog(ms, name) {
  const timer = setTimeout(() => {
    fail(name, `did not finish within ${ms} ms`);
    process.exit(1);
  }, ms);
  timer.unref();
}

/** OpenClaw's own GatewayClient class, resolved from the client cache as a dependent of it would. */
export async function loadGatewayClient(cache) {
  const requireFromCache = createRequire(path.join(path.resolve(cache), "package.json"));
  const entry = requireFromCache.resolve("openclaw/plugin-sdk/gateway-runtime");
  return (await import(pathToFileURL(entry).href)).GatewayClient;
}

/**
 * A connected GatewayClient and what it received. `options` go to the GatewayClient constructor
 * (caps, scopes, clientDisplayName …). Resolves after hello-ok; rejects on a connect error.
 */
export async function openSession(GatewayClient, { url, token, eventsFile, label, ...options }) {
  const events = [];
  const waiters = new Set();
  const gaps = [];
  let hello;
  let resolveHello;
  let rejectHello;
  const helloPromise = new Promise((resolve, reject) => {
    resolveHello = resolve;
    rejectHello = reject;
  });
  const client = new GatewayClient({
    url,
    token,
    requestTimeoutMs: 20000,
    ...options,
    onHelloOk: (h) => {
      hello = h;
      resolveHello(h);
    },
    onConnectError: (error) => rejectHello(error),
    onClose: (code, reason) => {
      if (!hello) rejectHello(new Error(`socket closed before hello-ok: ${code} ${reason}`));
    },
    onGap: (info) => gaps.push(info),
    onEvent: (evt) => {
      events.push(evt);
      if (eventsFile) appendFileSync(eventsFile, `${JSON.stringify({ socket: label, ...evt })}\n`);
      for (const waiter of waiters) {
        if (waiter.predicate(evt)) waiter.resolve(evt);
      }
    },
  });
  client.start();
  await withTimeout(helloPromise, 20000, `hello-ok (${label})`);
  return {
    client,
    hello,
    events,
    gaps,
    /** The first event (already received or coming) that matches. */
    waitForEvent(predicate, ms, what) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      let waiter;
      const promise = new Promise((resolve) => {
        waiter = { predicate, resolve };
        waiters.add(waiter);
      });
      return withTimeout(promise, ms, what).finally(() => waiters.delete(waiter));
    },
    /** Calls `listener` for every event from now on (and the ones already received). */
    onEach(listener) {
      for (const evt of events) listener(evt);
      waiters.add({ predicate: (evt) => (listener(evt), false), resolve: () => {} });
    },
    async stop() {
      try {
        await withTimeout(client.stopAndWait({ timeoutMs: 5000 }), 8000, "client stop");
      } catch {
        client.stop();
      }
    },
  };
}

/** Runs `chat.send` and waits for the run's terminal `chat` event; returns {runId, terminal}. */
export async function runChat(session, { sessionKey, message, idempotencyKey, timeoutMs }) {
  const ack = await session.client.request("chat.send", { sessionKey, message, deliver: false, idempotencyKey });
  const runId = ack?.runId ?? idempotencyKey;
  const terminal = await session.waitForEvent(
    (evt) => evt.event === "chat" && evt.payload?.runId === runId && ["final", "error", "aborted"].includes(evt.payload?.state),
    timeoutMs,
    `the terminal chat event of run ${runId}`,
  );
  return { ack, runId, terminal };
}

/** `agent` events of one run and stream. */
export function agentEvents(session, runId, stream) {
  return session.events.filter((evt) => evt.event === "agent" && evt.payload?.runId === runId && evt.payload?.stream === stream);
}
