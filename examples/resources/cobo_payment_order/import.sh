# Import an existing pay-in order by the order ID Cobo assigned to it.
terraform import cobo_payment_order.invoice O20250304-000042
