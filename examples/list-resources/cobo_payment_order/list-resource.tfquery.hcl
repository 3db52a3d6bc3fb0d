# Terraform 1.14 and later: `terraform query` lists the orders of merchant M1001 that are still
# Pending or already Completed; `terraform query -generate-config-out=orders.tf` writes a resource and
# an import block for each, ready to apply.
list "cobo_payment_order" "m1001" {
  provider         = cobo
  include_resource = true # the full order in the results (-generate-config-out writes every block's)
  limit            = 500  # Terraform's default is 100

  config {
    merchant_id = "M1001"
    statuses    = ["Pending", "Completed"]
  }
}

# One order of merchant M1002, found by your own code for it. Its merchant keeps it apart from the
# block above: two blocks that match one order find it twice, and -generate-config-out then writes
# two resources and two import blocks for that one order.
list "cobo_payment_order" "by_code" {
  provider = cobo

  config {
    merchant_id    = "M1002"
    psp_order_code = "inv-2026-0001"
  }
}
