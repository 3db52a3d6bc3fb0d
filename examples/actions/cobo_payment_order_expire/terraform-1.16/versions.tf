terraform {
  required_version = ">= 1.16.0"
  required_providers {
    cobo = {
      source = "cobo-terraform/cobo"
    }
  }
}
