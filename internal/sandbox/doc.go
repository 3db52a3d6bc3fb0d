// Package sandbox is an in-process emulator of Cobo's WaaS 2.0 pay-in order API (/v2/payments/orders)
// and webhook endpoints (/v2/webhooks/endpoints, webhook_endpoints.go), for tests, demos and trying
// the provider without a Cobo account. It follows Cobo's OpenAPI document and, where Cobo documents
// nothing, the decisions in package cobo (decisions.go), which it reuses rather than restating.
//
// # API routes (signed exactly like Cobo's)
//
// APIRoutes lists them: one table (apiRoutes, api.go) of method and path pattern to handler, which
// also routes the requests; GET /_sandbox serves that list and README.md documents it. Every request
// outside /_sandbox goes through a short chain (ServeHTTP): it is recorded, then faults apply, then
// the signature is checked, then the table routes it.
//
// Every /v2 request must carry Biz-Api-Key, Biz-Api-Nonce and Biz-Api-Signature; the signature is
// verified over the method, the path (as received, or its decoded form, which Cobo's Go SDK signs),
// the raw query and the raw body bytes as received, and the nonce must be within cobo.NonceWindow of
// the real wall clock. Failures are 401 / 2024. Each API key
// is a separate organization. Errors are Cobo's {"error_code", "error_message", "error_id"}.
//
// The business clock (Now, Advance) drives timestamps and expiry; order lifecycles are applied lazily
// on every read, list, update and helper call. Order ids never repeat, across restarts too; with
// Options.StateFile the orders, webhook endpoints and the clock survive a restart (state.go).
//
// # Webhook events
//
// Endpoints registered through /v2/webhooks/endpoints (webhook_endpoints.go) receive the events of
// the order lifecycle (webhook_events.go): payments, confirmations, late payments and every status
// change, signed with the sandbox's own Ed25519 key (webhook_key.go, WebhookPublicKey) and delivered
// outside the lock, per endpoint queue, with retries on the business clock (webhook_delivery.go,
// webhook_send.go); by default only to loopback addresses (Options.DeliverRemote). The event routes
// (list, get, logs, retry, the payments test trigger) are in webhook_events_api.go.
//
// # Merchants, the ledger and refunds
//
// Merchants (merchants.go), refunds (refunds.go), balances (ledger.go) and rates (catalog.go) live in
// generic tables (store.go: by id, by organization, a sequence) registered with what -state keeps.
// Each organization starts with a default merchant (Options.DefaultMerchantID); an order for a
// merchant it lacks is refused unless Options.Merchants is MerchantsAutoCreate (sandboxtest's
// default). Only payments.go and refunds.go move balances, inside the locked change that moved the
// money, saved in the same state file write.
//
// # Helper routes (no signature; JSON in and out; errors are {"error": "..."})
//
// Under /_sandbox: the clock, payments, webhook endpoint approval, faults, recorded requests, extra
// order fields, stats and reset. HelperRoutes lists them (one table, helpers.go, which also routes the
// requests); GET /_sandbox serves that list and README.md documents it.
//
// Payment helpers answer 404 for an unknown order or transaction, 409 for a transaction that is not
// Confirming or a confirmation for a final order, and 400 for a bad amount; a payment to a final order
// is a late payment, answered with the order unchanged.
// Helper routes are never affected by faults and are not recorded by Requests.
//
// The same operations are methods of *Sandbox for Go tests (Advance, Pay, ConfirmTransaction, AddFault,
// Requests, Orders, SetExtraOrderFields, Reset, ...). Package sandboxtest starts a Sandbox on a loopback
// port for one test; Start serves one with a real http.Server (cmd/cobo-sandbox). README.md beside this
// file is the user guide.
package sandbox
