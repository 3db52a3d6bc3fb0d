# Import an existing merchant by the merchant ID Cobo assigned to it.
terraform import cobo_payment_merchant.shop M1002
