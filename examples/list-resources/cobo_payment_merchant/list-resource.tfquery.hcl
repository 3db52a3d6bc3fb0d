# Terraform 1.14 and later: `terraform query` lists the organization's merchants;
# `terraform query -generate-config-out=merchants.tf` writes a resource and an import block for each,
# ready to apply.
list "cobo_payment_merchant" "all" {
  provider         = cobo
  include_resource = true # the full merchant, needed for -generate-config-out
}

# Merchants whose name matches "shop", as Cobo's fuzzy keyword matches it.
list "cobo_payment_merchant" "shops" {
  provider = cobo

  config {
    keyword = "shop"
  }
}

# Merchants with a wallet of their own.
list "cobo_payment_merchant" "separate" {
  provider = cobo

  config {
    wallet_setup = "Separate"
  }
}
