# Import an existing webhook endpoint by the endpoint ID Cobo assigned to it.
terraform import cobo_webhook_endpoint.orders 8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f
