terraform {
  required_version = ">= 1.5.0"
  required_providers {
    cobo = {
      source = "cobo-terraform/cobo"
    }
  }
}

# Cobo's development environment, with the API secret taken from COBO_API_SECRET.
provider "cobo" {}

# Production: a separate API key, registered in the Cobo Portal for the production environment.
provider "cobo" {
  alias      = "prod"
  env        = "prod"
  api_secret = var.cobo_prod_api_secret

  # Optional tuning: retries of reads and expiries, and a client-side rate limit.
  max_retries         = 6
  requests_per_second = 5
}

# The bundled sandbox (go run ./cmd/cobo-sandbox), for trying configurations without a Cobo account.
provider "cobo" {
  alias = "sandbox"
  host  = "http://127.0.0.1:18080/v2"
}

variable "cobo_prod_api_secret" {
  description = "The production API secret: 64 hexadecimal characters. Pass it as TF_VAR_cobo_prod_api_secret; never commit it."
  type        = string
  sensitive   = true
}
