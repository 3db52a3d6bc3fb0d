# A test helper module, not part of the module under test: a psp_order_code prefix of its own for each
# terraform test run. A psp_order_code stays taken in its organization, even after its order expires,
# so without it a second run against the same sandbox and secret (or a run after the README's
# walkthrough) would fail with Cobo's error_code 2040.
output "code_prefix" {
  value = "test-${substr(uuid(), 0, 8)}-"
}
