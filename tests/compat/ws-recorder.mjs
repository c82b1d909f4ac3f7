// A transparent WebSocket relay that records every frame between the official client and our
// gateway, in the format of /work/shared/protocol/reference-transcript.jsonl:
// `{conn, t, dir: "meta"|"c2s"|"s2c"|"close-by-client"|"close-by-server", bytes, frame}`.
// run.sh puts it in front of the silo when OPENCLAW_COMPAT_RECORD=1, so a failing check can be
// reported with the exact frames.
//
//   node tests/compat/ws-recorder.mjs --cache DIR --target ws://127.0.0.1:SILO_PORT --out FILE
//
// Listens on a free loopback port and prints `ws-recorder: ws://127.0.0.1:PORT` when ready.
// Uses the `ws` package installed (as an openclaw dependency) in the client cache.

import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    cache: { type: "string", default: process.env.OPENCLAW_CLIENT_CACHE ?? "" },
    target: { type: "string" },
    out: { type: "string" },
  },
});
if (!args.cache || !args.target || !args.out) {
  console.error("usage: ws-recorder.mjs --cache DIR --target ws://127.0.0.1:PORT --out FILE");
  process.exit(2);
}
// `ws` as openclaw itself resolves it (openclaw's exports map hides its package.json).
const requireFromOpenclaw = createRequire(path.join(path.resolve(args.cache), "node_modules", "openclaw", "package.json"));
const { WebSocket, WebSocketServer } = requireFromOpenclaw("ws");

let nextConn = 0;
const record = (entry) => appendFileSync(args.out, `${JSON.stringify(entry)}\n`);
// 1005 (no status) and 1006 (abnormal) may be observed but never sent.
const sendableClose = (code) => (code === 1005 || code === 1006 || code === undefined ? undefined : code);

const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
server.on("listening", () => {
  console.log(`ws-recorder: ws://127.0.0.1:${server.address().port}`);
});
server.on("connection", (downstream, request) => {
  const conn = ++nextConn;
  const opened = Date.now();
  const t = () => Date.now() - opened;
  record({ conn, t: 0, dir: "meta", path: request.url, ts: new Date(opened).toISOString() });
  const upstream = new WebSocket(new URL(request.url ?? "/", args.target).href, {
    perMessageDeflate: false,
    maxPayload: 64 * 1024 * 1024,
  });
  const pending = [];
  const log = (dir, data, isBinary) => {
    const text = Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data).toString("utf8");
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = text;
    }
    record({ conn, t: t(), dir, binary: isBinary, bytes: Buffer.byteLength(text), frame });
  };
  downstream.on("message", (data, isBinary) => {
    log("c2s", data, isBinary);
    if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
    else pending.push([data, isBinary]);
  });
  upstream.on("open", () => {
    for (const [data, isBinary] of pending.splice(0)) upstream.send(data, { binary: isBinary });
  });
  upstream.on("message", (data, isBinary) => {
    log("s2c", data, isBinary);
    if (downstream.readyState === WebSocket.OPEN) downstream.send(data, { binary: isBinary });
  });
  downstream.on("close", (code, reason) => {
    record({ conn, t: t(), dir: "close-by-client", code, reason: reason.toString() });
    if (upstream.readyState === WebSocket.OPEN) upstream.close(sendableClose(code), reason);
    else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
  });
  upstream.on("close", (code, reason) => {
    record({ conn, t: t(), dir: "close-by-server", code, reason: reason.toString() });
    if (downstream.readyState === WebSocket.OPEN) downstream.close(sendableClose(code), reason);
  });
  upstream.on("error", (error) => {
    record({ conn, t: t(), dir: "meta", error: `upstream: ${error.message}` });
    if (downstream.readyState === WebSocket.OPEN) downstream.close(1011, "recorder: upstream error");
  });
  downstream.on("error", (error) => record({ conn, t: t(), dir: "meta", error: `downstream: ${error.message}` }));
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
