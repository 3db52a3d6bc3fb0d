// Package sandbox is an in-process emulator of Cobo's WaaS 2.0 pay-in order API (the four operations
// on /v2/payments/orders), for tests, demos and trying the provider without a Cobo account. It follows
// Cobo's OpenAPI document and, where Cobo documents nothing, the decisions in package cobo
// (decisions.go), which it reuses rather than restating.
//
// # API routes (signed exactly like Cobo's)
//
//	POST /v2/payments/orders               create a pay-in order (201, the Order)
//	GET  /v2/payments/orders               list orders: limit, before, after, merchant_id, psp_order_id, statuses
//	GET  /v2/payments/orders/{order_id}    one order (404 / 2028 when unknown)
//	PUT  /v2/payments/orders/{order_id}    {"expired": true} expires a Pending order
//
// Every /v2 request must carry Biz-Api-Key, Biz-Api-Nonce and Biz-Api-Signature; the signature is
// verified over the method, the path (as received, or its decoded form, which Cobo's Go SDK signs),
// the raw query and the raw body bytes as received, and the nonce must be within cobo.NonceWindow of
// the real wall clock. Failures are 401 / 2024. Each API key
// is a separate organization. Errors are Cobo's {"error_code", "error_message", "error_id"}.
//
// The business clock (Now, Advance) drives timestamps and expiry; order lifecycles are applied lazily
// on every read, list, update and helper call. Order ids never repeat, across restarts too; with
// Options.StateFile the orders and the clock survive a restart (state.go).
//
// # Helper routes (no signature; JSON in and out; errors are {"error": "..."})
//
//	GET    /_sandbox                                        index of the helpers
//	GET    /_sandbox/clock                                  {"now": unix_seconds, "offset_seconds": n}
//	POST   /_sandbox/clock/advance                          {"seconds": 1800} -> {"now": ...}
//	GET    /_sandbox/orders[?api_key=<hex>]                 {"orders": [...]} (all organizations without api_key)
//	POST   /_sandbox/orders/{order_id}/payments             {"amount": "10.00", "confirmed": true, "tx_hash": "...", "from_address": "..."} -> the Order
//	POST   /_sandbox/orders/{order_id}/transactions/{tx_id}/confirm  -> the Order
//	GET    /_sandbox/faults                                 {"faults": [...]} still pending
//	POST   /_sandbox/faults                                 a Fault as JSON (method, path, status, body, content_type, retry_after, delay_ms, drop_connection, after_commit, times) -> 201
//	DELETE /_sandbox/faults                                 remove every fault
//	GET    /_sandbox/requests                               {"requests": [...]} recorded /v2 requests, oldest first
//	DELETE /_sandbox/requests                               forget them
//	GET    /_sandbox/extra-order-fields                     the extra Order fields
//	PUT    /_sandbox/extra-order-fields                     {"new_field": "x"}: added to every Order the API returns
//	GET    /_sandbox/stats                                  {"connections_opened": n, "requests": n}
//	POST   /_sandbox/reset                                  clear orders, faults, requests, extra fields, clock offset
//
// Payment helpers answer 404 for an unknown order or transaction, 409 for an order that is final
// (Completed, Expired, Underpaid) or a transaction that is not Confirming, and 400 for a bad amount.
// Helper routes are never affected by faults and are not recorded by Requests.
//
// The same operations are methods of *Sandbox for Go tests (Advance, Pay, ConfirmTransaction, AddFault,
// Requests, Orders, SetExtraOrderFields, Reset, ...). Package sandboxtest starts a Sandbox on a loopback
// port for one test; Start serves one with a real http.Server (cmd/cobo-sandbox). README.md beside this
// file is the user guide.
package sandbox
