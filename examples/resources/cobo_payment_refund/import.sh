# Import an existing refund by the refund ID Cobo assigned to it.
terraform import cobo_payment_refund.partial R20250304-M1001-000001
