# Adopt a merchant created outside Terraform (in Cobo Portal, or by Cobo's SDKs), such as the default
# merchant Cobo's onboarding creates, whose wallet_setup is "Default".
import {
  to = cobo_payment_merchant.default
  id = "M1001"
}

resource "cobo_payment_merchant" "default" {
  name         = "Example Org"
  wallet_setup = "Default"
}
