# Terraform 1.14 and later: `terraform query` lists merchant M1001's refunds that are waiting for an
# address or still pending; `terraform query -generate-config-out=refunds.tf` writes a resource and
# an import block for each.
list "cobo_payment_refund" "m1001" {
  provider         = cobo
  include_resource = true

  config {
    merchant_id = "M1001"
    statuses    = ["PendingConfirmation", "Pending"]
  }
}
