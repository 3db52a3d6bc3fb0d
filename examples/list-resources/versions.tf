terraform {
  required_version = ">= 1.14.0"
  required_providers {
    cobo = {
      source = "cobo-terraform/cobo"
    }
  }
}

provider "cobo" {}
