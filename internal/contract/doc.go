// Package contract checks the sandbox against Cobo's own OpenAPI documents (spec/, copies of
// shared/cobo-api), with kin-openapi rather than hand-written checks: every answer of the API (status,
// Content-Type and body against the operation's response for that status, errors against
// ErrorResponse) and every delivered webhook event body (against WebhookEvent, whose data is a oneOf
// chosen by data_type).
//
// A test wraps its client's transport (Validator.Transport) or the sandbox itself (Validator.Handler),
// drives the API, then calls Check, which fails the test once per violation with the method, path,
// status, operation and kin-openapi's message; MissingExercise proves which operations and statuses the
// test really produced, so a contract test cannot pass by exercising nothing. Delivery code validates
// each event body with ValidateWebhookEvent or Validator.ValidateEvent; Validator.Receiver is a test
// webhook receiver that validates every body delivered to it.
//
// Where the documents contradict themselves the contract applies a minimal, explicit patch
// (knownContradictions in spec.go), and tests prove each patch is still needed.
package contract
