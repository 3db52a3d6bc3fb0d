# Terraform 1.14 and later: `terraform query` lists the orders of merchant M1001 that are still
# Pending or already Completed; `terraform query -generate-config-out=orders.tf` writes a resource and
# an import block for each, ready to apply.
list "cobo_payment_order" "m1001" {
  provider         = cobo
  include_resource = true # the full order, needed for -generate-config-out
  limit            = 500  # Terraform's default is 100

  config {
    merchant_id = "M1001"
    statuses    = ["Pending", "Completed"]
  }
}

# One order, found by your own code for it.
list "cobo_payment_order" "by_code" {
  provider = cobo

  config {
    psp_order_code = "inv-2026-0001"
  }
}
