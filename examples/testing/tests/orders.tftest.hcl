# terraform test (Terraform >= 1.6) against a running cobo-sandbox: COBO_HOST and COBO_API_SECRET are
# exported, the provider comes from dev_overrides (so there is no `terraform init`; `terraform get`
# installs the helper modules under tests/), and cobo-sandbox is on PATH for the payment step.
#
# A psp_order_code stays taken in its organization, even after the order expires: each run gets a
# prefix of its own from tests/setup, so the test can run again against the same sandbox and secret.

variables {
  merchant_id = "M1001"
  invoices = {
    "inv-0001" = "100.00"
    "inv-0002" = "25.00"
  }
}

run "setup" {
  module {
    source = "./tests/setup"
  }
}

run "create_orders" {
  variables {
    code_prefix = run.setup.code_prefix
  }

  assert {
    condition     = startswith(var.code_prefix, "test-") && cobo_payment_order.invoice["inv-0001"].psp_order_code == "${var.code_prefix}inv-0001"
    error_message = "the psp_order_code is the run's prefix and the invoice's key"
  }

  assert {
    condition     = length(output.order_ids) == 2
    error_message = "want one order per invoice"
  }

  assert {
    condition     = alltrue([for status in values(output.statuses) : status == "Pending"])
    error_message = "new orders must be Pending, got ${jsonencode(output.statuses)}"
  }

  assert {
    condition     = cobo_payment_order.invoice["inv-0001"].payable_amount == "102.02"
    error_message = "USD 100.00 + 1.00 fee at the sandbox rate 0.99 is 102.02 ETH_USDT"
  }
}

run "pay_one" {
  module {
    source = "./tests/pay"
  }

  variables {
    order_id = run.create_orders.order_ids["inv-0001"]
  }

  assert {
    condition     = output.status == "Completed"
    error_message = "a payment of the full amount completes the order, got ${output.status}"
  }
}

run "module_sees_payment" {
  command = plan

  variables {
    code_prefix = run.setup.code_prefix
  }

  assert {
    condition     = cobo_payment_order.invoice["inv-0001"].status == "Completed"
    error_message = "the refreshed paid order must be Completed"
  }

  assert {
    condition     = cobo_payment_order.invoice["inv-0002"].status == "Pending"
    error_message = "the unpaid order must still be Pending"
  }
}
