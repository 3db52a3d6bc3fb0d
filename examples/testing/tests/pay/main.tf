# A test helper module, not part of the module under test: it pays an order in full with the
# cobo-sandbox CLI (a local-exec, so no provider from a registry is needed), then reads the order back.
terraform {
  required_providers {
    cobo = {
      source = "cobo-terraform/cobo"
    }
  }
}

variable "order_id" {
  type = string
}

variable "cli" {
  description = "The cobo-sandbox command; it reads COBO_HOST and COBO_API_SECRET like the provider."
  type        = string
  default     = "cobo-sandbox"
}

resource "terraform_data" "payment" {
  input = var.order_id

  provisioner "local-exec" {
    command = "${var.cli} orders pay ${var.order_id}"
  }
}

# Read after the payment: the data source depends on terraform_data.payment.
data "cobo_payment_order" "paid" {
  order_id = terraform_data.payment.output
}

output "status" {
  value = data.cobo_payment_order.paid.status
}
