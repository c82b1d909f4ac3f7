// A scripted OpenAI-compatible model for the agent checks: `POST …/chat/completions` answers with
// Server-Sent Events (chat.completion.chunk, then `data: [DONE]`), or one JSON body when the
// request has `stream:false`. What it answers depends only on the conversation it is sent, like
// the scripted model the reference run used (shared/protocol/reference-agent-transcript.jsonl):
//
//   user "TOOLTEST write <tag>":  turn 1 calls `write` {path:"notes/probe.txt", content:"probe <tag>\n"},
//                                 turn 2 calls `read` {path:"notes/probe.txt"},
//                                 turn 3 answers "DONE <tag> read=ok" (read=bad when the read
//                                 result lacks "probe <tag>").
//   user "TOOLTEST exec <tag>":   turn 1 calls `exec` {command:"echo compat-exec", host:"node"},
//                                 turn 2 answers "DONE <the exec tool result text>".
//   anything else:                "Echo: <last user text>".
//
// The turn is the number of `role:"tool"` messages after the last TOOLTEST user message, so
// internal-context user messages the gateway adds after tool results do not confuse it.
//
//   node tests/compat/fake-model.mjs [--port 0] [--log FILE]
//
// Prints `fake-model: http://127.0.0.1:PORT/v1` once listening. --log FILE appends one JSON line
// per request: {n, path, stream, model, tools:[names], messages:[{role, text, toolCalls, toolCallId}], answer}.

import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    log: { type: "string" },
  },
});

const MaxBodyBytes = 8 * 1024 * 1024;
let requestCount = 0;

/** Text of an OpenAI message `content`: a string or an array of parts. */
function textOf(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === "string" ? part : typeof part?.text === "string" ? part.text : "")).join("");
  }
  return "";
}

/** The scripted answer: {text} or {toolCall:{id, name, arguments}}. */
function decide(messages) {
  let index = -1;
  let match = null;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]?.role !== "user") continue;
    match = /TOOLTEST (write|exec) (\S+)/.exec(textOf(messages[i].content));
    if (match) {
      index = i;
      break;
    }
  }
  if (!match) {
    const lastUser = [...messages].reverse().find((m) => m?.role === "user");
    return { text: `Echo: ${textOf(lastUser?.content)}` };
  }
  const [, mode, tag] = match;
  const toolResults = messages.slice(index + 1).filter((m) => m?.role === "tool");
  const lastResult = textOf(toolResults.at(-1)?.content);
  if (mode === "write") {
    if (toolResults.length === 0) {
      return { toolCall: { id: `call_w_${tag}`, name: "write", arguments: { path: "notes/probe.txt", content: `probe ${tag}\n` } } };
    }
    if (toolResults.length === 1) {
      return { toolCall: { id: `call_r_${tag}`, name: "read", arguments: { path: "notes/probe.txt" } } };
    }
    return { text: `DONE ${tag} read=${lastResult.includes(`probe ${tag}`) ? "ok" : "bad"}` };
  }
  if (toolResults.length === 0) {
    return { toolCall: { id: `call_x_${tag}`, name: "exec", arguments: { command: "echo compat-exec", host: "node" } } };
  }
  return { text: `DONE ${lastResult}` };
}

function chunk(id, model, delta, finishReason, usage) {
  const body = {
    id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: delta === null ? [] : [{ index: 0, delta, finish_reason: finishReason }],
  };
  if (usage) body.usage = usage;
  return `data: ${JSON.stringify(body)}\n\n`;
}

function streamAnswer(res, answer, model, includeUsage) {
  const id = `chatcmpl-${requestCount}`;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const usage = { prompt_tokens: 100, completion_tokens: 6, total_tokens: 106 };
  if (answer.toolCall) {
    const { id: callId, name, arguments: callArgs } = answer.toolCall;
    const argText = JSON.stringify(callArgs);
    const half = Math.floor(argText.length / 2);
    // Arguments in two pieces, as real providers stream them.
    res.write(chunk(id, model, { role: "assistant", content: null, tool_calls: [{ index: 0, id: callId, type: "function", function: { name, arguments: argText.slice(0, half) } }] }, null));
    res.write(chunk(id, model, { tool_calls: [{ index: 0, function: { arguments: argText.slice(half) } }] }, null));
    res.write(chunk(id, model, {}, "tool_calls"));
  } else {
    const words = answer.text.split(/(?<= )/);
    res.write(chunk(id, model, { role: "assistant", content: "" }, null));
    for (const word of words) res.write(chunk(id, model, { content: word }, null));
    res.write(chunk(id, model, {}, "stop"));
  }
  if (includeUsage) res.write(chunk(id, model, null, null, usage));
  res.end("data: [DONE]\n\n");
}

function jsonAnswer(res, answer, model) {
  const message = answer.toolCall
    ? { role: "assistant", content: null, tool_calls: [{ id: answer.toolCall.id, type: "function", function: { name: answer.toolCall.name, arguments: JSON.stringify(answer.toolCall.arguments) } }] }
    : { role: "assistant", content: answer.text };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({
    id: `chatcmpl-${requestCount}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: answer.toolCall ? "tool_calls" : "stop" }],
    usage: { prompt_tokens: 100, completion_tokens: 6, total_tokens: 106 },
  }));
}

const server = createServer((req, res) => {
  if (req.method === "GET" && /\/models\/?$/.test(req.url ?? "")) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ object: "list", data: [{ id: "mock-1", object: "model", owned_by: "compat" }] }));
    return;
  }
  if (req.method !== "POST" || !/\/chat\/completions\/?$/.test((req.url ?? "").split("?")[0])) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: "invalid_request_error" } }));
    return;
  }
  const parts = [];
  let size = 0;
  req.on("data", (part) => {
    size += part.length;
    if (size > MaxBodyBytes) {
      res.writeHead(413).end();
      req.destroy();
      return;
    }
    parts.push(part);
  });
  req.on("end", () => {
    if (res.headersSent) return;
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "body is not JSON", type: "invalid_request_error" } }));
      return;
    }
    requestCount += 1;
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const answer = decide(messages);
    const model = typeof body.model === "string" ? body.model : "mock-1";
    if (args.log) {
      appendFileSync(args.log, `${JSON.stringify({
        n: requestCount,
        path: req.url,
        stream: body.stream !== false,
        model,
        toolChoice: body.tool_choice,
        tools: (body.tools ?? []).map((t) => t?.function?.name ?? t?.name),
        messages: messages.map((m) => ({
          role: m?.role,
          text: textOf(m?.content).slice(0, 400),
          toolCalls: (m?.tool_calls ?? []).map((c) => ({ id: c?.id, name: c?.function?.name })),
          toolCallId: m?.tool_call_id,
        })),
        answer,
      })}\n`);
    }
    if (body.stream === false) jsonAnswer(res, answer, model);
    else streamAnswer(res, answer, model, body.stream_options?.include_usage === true);
  });
});

server.listen(Number(args.port), args.host, () => {
  console.log(`fake-model: http://${args.host}:${server.address().port}/v1`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
