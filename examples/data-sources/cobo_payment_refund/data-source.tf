# Follow a refund made by another system, by the request_id it was created with.
data "cobo_payment_refund" "by_request" {
  request_id = "refund-inv-2026-0001-1"
}

# Or by the id Cobo assigned.
data "cobo_payment_refund" "by_id" {
  refund_id = "R20250304-M1001-000001"
}

output "refund_status" {
  value = data.cobo_payment_refund.by_request.status
}
