# Terraform 1.16 and later: the action expires the order as Terraform destroys the resource, and the
# plan shows it ("Actions: 1 to invoke").
action "cobo_payment_order_expire" "on_destroy" {
  config {
    # caller is the resource whose action_trigger runs the action. Naming the resource by its address
    # (cobo_payment_order.invoice.order_id) is a cycle, which only the apply reports.
    order_id = caller.order_id
  }
}

resource "cobo_payment_order" "invoice" {
  merchant_id      = "M1001"
  psp_order_code   = "inv-2026-0002"
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = "80.00"
  fee_amount       = "1.00"

  # The action expires the order: the destroy itself only removes it from the state.
  expire_on_destroy = false

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.cobo_payment_order_expire.on_destroy]
      # An order already paid cannot be expired: a warning, and the destroy goes on.
      on_failure = continue
    }
  }
}
