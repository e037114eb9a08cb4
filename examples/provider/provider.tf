terraform {
  required_providers {
    cognito = {
      source = "example.com/acme/cognito"
    }
  }
}

# Every setting is optional: with an empty block the standard AWS environment applies
# (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, credentials, SSO).
provider "cognito" {
  region      = "eu-west-1"
  max_retries = 5

  # Runs on this machine share Cognito's request rates unless this is false.
  # shared_rate_limiter = true

  # assume_role {
  #   role_arn     = "arn:aws:iam::123456789012:role/terraform"
  #   session_name = "ci"
  # }
}

resource "cognito_user_pool_client" "example" {
  user_pool_id = "eu-west-1_AbCdEfGhI"
  name         = "example"
}
