// bench/ingest's Node peer: optgate's Twilio SMS webhook as a Node service would write it, with
// fastify, ioredis and the official twilio package, WITHOUT a journal (nothing is fsync'd: a
// STOP is acknowledged once Redis has applied it). Same request, same work in Redis, same
// answer as optgate, so that bench/ingest can compare the two on the same requests:
//
//   - the signature checked with twilio.validateRequest over PUBLIC_URL + path and every
//     POST parameter (a wrong one: 403);
//   - MessageSid, From and To required (400); From a valid NANP number and To the short code
//     60680 (program "district"), else the empty TwiML <Response/>, nothing changed;
//   - a Body whose trimmed, uppercased text is STOP is an opt-out: optgate's own apply script
//     (read from adapters/redis/apply_script.hpp, loaded with SCRIPT LOAD) run with EVALSHA on
//     the same 4 keys and 19 arguments optgate passes for a STOP, then the audit index ZADD NX
//     optgate writes after it; any other text: <Response/>;
//   - the answer: optgate's TwiML with its default English STOP confirmation.
//
// Environment: PORT (required), REDIS_PORT (required), KEY_PREFIX (default "peer:"),
// TWILIO_AUTH_TOKEN (required), PUBLIC_URL (required, as Twilio calls it),
// AUTOPIPELINING (default "1": ioredis batches concurrent commands into one write).
// GET /stats answers {"statuses":{...},"outcomes":{...}}: what the peer answered and what the
// script returned, so the benchmark can check that every STOP was applied.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import Fastify from "fastify";
import formbody from "@fastify/formbody";
import Redis from "ioredis";
import twilio from "twilio";

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`node-peer: ${name} is required`);
  return value;
};
const port = Number(env("PORT"));
const prefix = env("KEY_PREFIX", "peer:");
const authToken = env("TWILIO_AUTH_TOKEN");
const publicUrl = env("PUBLIC_URL").replace(/\/+$/, "");
const shortCodes = new Map([["60680", "district"]]);
const feedRetentionMs = String(7 * 24 * 3600 * 1000); // optgate's default feed.retention_hours: 168

// The apply script, byte for byte what optgate loads (so the same SHA1).
const header = readFileSync(new URL("../../adapters/redis/apply_script.hpp", import.meta.url), "utf8");
const match = header.match(/R"lua\(([\s\S]*?)\)lua"/);
if (!match) throw new Error("node-peer: no R\"lua(...)lua\" in apply_script.hpp");
const applyScript = match[1];
const applySha = createHash("sha1").update(applyScript).digest("hex");

// optgate's defaults (config: sms.replies, en), as its twiml_message writes them.
const twimlProlog = '<?xml version="1.0" encoding="UTF-8"?>';
const stopReply = `${twimlProlog}<Response><Message>District messages: you will get no more texts from this number. Reply START to resubscribe.</Message></Response>`;
const emptyReply = `${twimlProlog}<Response/>`;

const redis = new Redis({
  host: "127.0.0.1",
  port: Number(env("REDIS_PORT")),
  enableAutoPipelining: env("AUTOPIPELINING", "1") === "1",
  maxRetriesPerRequest: 1,
});
const loaded = await redis.script("LOAD", applyScript);
if (loaded !== applySha) throw new Error(`node-peer: SCRIPT LOAD answered ${loaded}, expected ${applySha}`);

const nanp = /^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/;
const statuses = {};
const outcomes = {};
const count = (table, key) => { table[key] = (table[key] ?? 0) + 1; };

async function applyStop(address, program, sid, body) {
  const received = String(Date.now());
  const keys = [`${prefix}{${address}}:consent`, `${prefix}{${address}}:audit`,
                `${prefix}{${address}}:seen`, `${prefix}{changes}:stream`];
  // ARGV as adapters/redis/apply_script_arguments.hpp builds it for a Twilio STOP.
  const argv = [`sms/${program}`, `sms/${program}/${sid}`, "opted_out", received, received,
                "twilio-sms", sid, body.slice(0, 160), "exact", "", "0", address, "sms", program,
                sid, "0", "en", "", feedRetentionMs];
  let reply;
  try {
    reply = await redis.evalsha(applySha, keys.length, ...keys, ...argv);
  } catch (error) {
    if (!String(error.message).startsWith("NOSCRIPT")) throw error;
    await redis.script("LOAD", applyScript);
    reply = await redis.evalsha(applySha, keys.length, ...keys, ...argv);
  }
  const [outcome, entry] = reply;
  count(outcomes, outcome);
  // optgate indexes the audit entry after the script (consent_store::run_apply).
  await redis.zadd(`${prefix}{audit}:by_received`, "NX", received, entry);
}

const app = Fastify({ logger: false });
await app.register(formbody);
app.post("/webhooks/twilio/sms", async (request, reply) => {
  const answer = (code, type, body) => {
    count(statuses, code);
    return reply.code(code).type(type).send(body);
  };
  const params = request.body ?? {};
  const signature = request.headers["x-twilio-signature"] ?? "";
  if (!twilio.validateRequest(authToken, signature, publicUrl + request.url, params)) {
    return answer(403, "application/json", { error: "bad_signature" });
  }
  const { MessageSid: sid, From: from, To: to } = params;
  if (!sid || from === undefined || to === undefined) {
    return answer(400, "application/json", { error: "missing_fields" });
  }
  reply.header("Cache-Control", "no-store");
  const twiml = "text/xml; charset=utf-8";
  const program = shortCodes.get(to);
  const address = String(from).trim();
  const text = String(params.Body ?? "").trim().toUpperCase();
  if (!program || !nanp.test(address) || text !== "STOP") return answer(200, twiml, emptyReply);
  try {
    await applyStop(address, program, sid, String(params.Body));
  } catch (error) {
    return answer(503, "application/json", { error: "store_unavailable" });
  }
  return answer(200, twiml, stopReply);
});

app.get("/stats", async () => ({ statuses, outcomes }));

const stop = async () => { await app.close(); redis.disconnect(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

await app.listen({ host: "127.0.0.1", port });
console.log(`node-peer: listening on 127.0.0.1:${port} (apply script ${applySha})`);
