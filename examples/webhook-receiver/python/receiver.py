"""A small receiver of Cobo webhook events, to read and to copy into an app.

Python 3.8 or later, its standard library and the `cryptography` package (pip install cryptography).
It does what the Go receiver in the directory above does:
  - checks each delivery's Ed25519 signature with COBO_WEBHOOK_PUBLIC_KEY (hex of the raw 32-byte key);
  - answers 400 and prints a "rejected" line (on stderr) to a delivery that does not verify;
  - handles each event_id once, prints a "verified" line with the event and answers 200.

    PORT=3000 COBO_WEBHOOK_PUBLIC_KEY=... python3 examples/webhook-receiver/python/receiver.py

The key is the one cobo-sandbox printed, or Cobo's: development
a04ea1d5fa8da71f1dcfccf972b9c4eba0a2d8aba1f6da26f49977b08a0d2718, production
8d4a482641adb2a34b726f05827dba9a9653e5857469b8749052bf4458a86729. PORT=0 picks a free port. The guide
"Receive order events" (docs/guides/receive-order-events.md) explains the rest.
"""

import hashlib
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

PATH = "/cobo/webhook"
MAX_EVENT_BYTES = 1 << 20  # Cobo's events are a few kilobytes


def public_key_from_hex(text):
    """The sender's key from the hex of its raw 32 bytes (not PEM, not base64)."""
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text or ""):
        raise ValueError(
            "COBO_WEBHOOK_PUBLIC_KEY must be the sender's Ed25519 public key, 64 hexadecimal characters "
            "(cobo-sandbox webhooks key prints the sandbox's)"
        )
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))


def header_value(headers, dashed):
    """A header in either spelling: Cobo's guide writes BIZ_TIMESTAMP and BIZ_RESP_SIGNATURE, its
    samples read Biz-Timestamp and Biz-Resp-Signature. Lookups ignore case."""
    return headers.get(dashed) or headers.get(dashed.replace("-", "_")) or ""


def verify_delivery(key, body, timestamp, signature_hex):
    """The reason a delivery does not verify, or "" when it does. Cobo signs with Ed25519 over
    SHA256(SHA256(body + "|" + timestamp)), both digests as raw bytes (not hex), over the body bytes
    exactly as received."""
    if not timestamp or not signature_hex:
        return ("no signature: the BIZ_TIMESTAMP and BIZ_RESP_SIGNATURE "
                "(or Biz-Timestamp and Biz-Resp-Signature) headers are missing")
    if not re.fullmatch(r"[0-9a-fA-F]{128}", signature_hex):
        return "the signature is not 128 hexadecimal characters"
    inner = hashlib.sha256(body + b"|" + timestamp.encode("ascii", "replace")).digest()
    outer = hashlib.sha256(inner).digest()
    try:
        key.verify(bytes.fromhex(signature_hex), outer)
    except InvalidSignature:
        return ("the signature does not match: the body or timestamp was changed, "
                "or it was signed with another key")
    return ""


class Receiver:
    """Handles each event_id once. An app would do its work in handle, recording event_id in the same
    database transaction (a unique key) instead of this in-memory set, which forgets everything on
    restart."""

    def __init__(self, key):
        self.key = key
        self.seen = set()
        self.lock = threading.Lock()

    def handle(self, event):
        with self.lock:
            event_id, kind = event["event_id"], event.get("type", "")
            if event_id in self.seen:
                print(f"verified event_id={event_id} type={kind} duplicate, already handled", flush=True)
                return
            self.seen.add(event_id)
            data = event.get("data") or {}
            line = f"verified event_id={event_id} type={kind} order_id={data.get('order_id', '')}"
            if data.get("transaction_id"):
                # A transaction event's amount is under destination, not at the top of data.
                amount = (data.get("destination") or {}).get("amount", "")
                line += f" transaction_id={data['transaction_id']} amount={amount}"
            print(f"{line} status={data.get('status', '')}", flush=True)


def make_handler(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path.split("?", 1)[0] != PATH:
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_EVENT_BYTES:
                self.reject("the body is larger than 1 MiB")
                return
            # Verify the raw bytes as received, before parsing: re-encoded JSON would not match.
            body = self.rfile.read(length)
            reason = verify_delivery(receiver.key, body, header_value(self.headers, "Biz-Timestamp"),
                                     header_value(self.headers, "Biz-Resp-Signature"))
            if reason:
                self.reject(reason)
                return
            try:
                event = json.loads(body)
            except ValueError:
                event = None
            if not isinstance(event, dict) or not event.get("event_id"):
                self.reject("the body is not a webhook event with an event_id")
                return
            receiver.handle(event)
            # 200 to every verified event, a repeat included: Cobo sends an event again until it
            # gets 200 or 201.
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def reject(self, reason):
            print(f"rejected (400): {reason}", file=sys.stderr, flush=True)
            payload = (reason + "\n").encode()
            self.send_response(400)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # the lines above say what happened
            pass

    return Handler


def main():
    try:
        key = public_key_from_hex(os.environ.get("COBO_WEBHOOK_PUBLIC_KEY"))
    except ValueError as err:
        print(f"webhook-receiver: {err}", file=sys.stderr)
        sys.exit(1)
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT") or 8080)),
                                 make_handler(Receiver(key)))
    host, port = server.server_address[:2]
    print(f"webhook-receiver: listening on http://{host}:{port}{PATH}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
