// A small receiver of Cobo webhook events, Node's standard library only (Node 16 or later), to read
// and to copy into an app. It does what the Go receiver in the directory above does:
//   - checks each delivery's Ed25519 signature with COBO_WEBHOOK_PUBLIC_KEY (hex of the raw 32-byte key);
//   - answers 400 and prints a "rejected" line (on stderr) to a delivery that does not verify;
//   - handles each event_id once, prints a "verified" line with the event and answers 200.
//
//   PORT=3000 COBO_WEBHOOK_PUBLIC_KEY=... node examples/webhook-receiver/node/receiver.mjs
//
// The key is the one cobo-sandbox printed, or Cobo's: development
// a04ea1d5fa8da71f1dcfccf972b9c4eba0a2d8aba1f6da26f49977b08a0d2718, production
// 8d4a482641adb2a34b726f05827dba9a9653e5857469b8749052bf4458a86729. PORT=0 picks a free port. The guide
// "Receive order events" (docs/guides/receive-order-events.md) explains the rest.
import { createHash, createPublicKey, verify } from "node:crypto";
import { createServer } from "node:http";

const PATH = "/cobo/webhook";
const MAX_EVENT_BYTES = 1 << 20; // Cobo's events are a few kilobytes

// publicKeyFromHex turns the hex of a raw 32-byte Ed25519 public key into a KeyObject (through JWK,
// whose "x" is the same 32 bytes in base64url).
function publicKeyFromHex(hex) {
  if (!/^[0-9a-fA-F]{64}$/.test(hex ?? "")) {
    throw new Error("COBO_WEBHOOK_PUBLIC_KEY must be the sender's Ed25519 public key, 64 hexadecimal characters (cobo-sandbox webhooks key prints the sandbox's)");
  }
  const x = Buffer.from(hex, "hex").toString("base64url");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
}

// headerValue reads a header in either spelling: Cobo's guide writes BIZ_TIMESTAMP and
// BIZ_RESP_SIGNATURE, its samples read Biz-Timestamp and Biz-Resp-Signature. Node lowercases names.
function headerValue(headers, dashed) {
  return headers[dashed] ?? headers[dashed.replaceAll("-", "_")] ?? "";
}

// verifyDelivery checks the signature Cobo makes: Ed25519 over SHA256(SHA256(body + "|" + timestamp)),
// both digests as raw bytes (not hex), over the body bytes exactly as received. It returns the
// reason a delivery does not verify, or "" when it does.
function verifyDelivery(key, body, timestamp, signatureHex) {
  if (!timestamp || !signatureHex) {
    return "no signature: the BIZ_TIMESTAMP and BIZ_RESP_SIGNATURE (or Biz-Timestamp and Biz-Resp-Signature) headers are missing";
  }
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) {
    return "the signature is not 128 hexadecimal characters";
  }
  const message = Buffer.concat([body, Buffer.from("|" + timestamp)]);
  const inner = createHash("sha256").update(message).digest();
  const outer = createHash("sha256").update(inner).digest();
  // Ed25519 takes no separate hash algorithm: null.
  if (!verify(null, outer, key, Buffer.from(signatureHex, "hex"))) {
    return "the signature does not match: the body or timestamp was changed, or it was signed with another key";
  }
  return "";
}

// handle prints the event the first time its event_id arrives, and a shorter line for a repeat. An app
// would do its work here, recording event_id in the same database transaction (a unique key) instead
// of this in-memory set, which forgets everything on restart.
const seen = new Set();
function handle(event) {
  if (seen.has(event.event_id)) {
    console.log(`verified event_id=${event.event_id} type=${event.type} duplicate, already handled`);
    return;
  }
  seen.add(event.event_id);
  const data = event.data ?? {};
  let line = `verified event_id=${event.event_id} type=${event.type} order_id=${data.order_id ?? ""}`;
  if (data.transaction_id) {
    // A transaction event's amount is under destination, not at the top of data.
    line += ` transaction_id=${data.transaction_id} amount=${data.destination?.amount ?? ""}`;
  }
  console.log(`${line} status=${data.status ?? ""}`);
}

function reject(res, reason) {
  console.error(`rejected (400): ${reason}`);
  res.writeHead(400, { "Content-Type": "text/plain" }).end(reason + "\n");
}

// onDelivery answers 400 to a delivery that does not verify or is not an event, and 200 to every
// verified event, a repeat included: Cobo sends an event again until it gets 200 or 201.
function onDelivery(key, req, res, body) {
  // Verify the raw bytes as received, before parsing: re-encoded JSON would not match.
  const reason = verifyDelivery(key, body, headerValue(req.headers, "biz-timestamp"), headerValue(req.headers, "biz-resp-signature"));
  if (reason) {
    return reject(res, reason);
  }
  let event;
  try {
    event = JSON.parse(body.toString("utf8"));
  } catch {
    event = null;
  }
  if (!event?.event_id) {
    return reject(res, "the body is not a webhook event with an event_id");
  }
  handle(event);
  res.writeHead(200).end();
}

function main() {
  let key;
  try {
    key = publicKeyFromHex(process.env.COBO_WEBHOOK_PUBLIC_KEY);
  } catch (err) {
    console.error(`webhook-receiver: ${err.message}`);
    process.exit(1);
  }
  const server = createServer((req, res) => {
    if (req.method !== "POST" || new URL(req.url, "http://localhost").pathname !== PATH) {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_EVENT_BYTES) {
        chunks.push(chunk);
      }
    });
    req.on("end", () => {
      if (size > MAX_EVENT_BYTES) {
        return reject(res, "the body is larger than 1 MiB");
      }
      onDelivery(key, req, res, Buffer.concat(chunks));
    });
  });
  server.listen(Number(process.env.PORT || 8080), "127.0.0.1", () => {
    const { address, port } = server.address();
    console.error(`webhook-receiver: listening on http://${address}:${port}${PATH}`);
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => server.close(() => process.exit(0)));
  }
}

main();
