# Quickstart: one app client in an existing user pool, with the managed login style its sign-in pages need.
#
#   scripts/quickstart                      # everything local: builds, starts a local Cognito, applies this
#   terraform apply -var user_pool_id=...   # against a real AWS account (see README.md)

terraform {
  required_providers {
    cognito = {
      source = "example.com/acme/cognito"
    }
  }
}

provider "cognito" {}

variable "user_pool_id" {
  description = "ID of the user pool that gets the app client, e.g. eu-west-1_AbCdEfGhI."
  type        = string
}

resource "cognito_user_pool_client" "web" {
  user_pool_id = var.user_pool_id
  name         = "quickstart-web"

  explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  callback_urls                        = ["https://app.example.com/callback", "http://localhost:3000/callback"]
  logout_urls                          = ["https://app.example.com/"]
  supported_identity_providers         = ["COGNITO"]
  prevent_user_existence_errors        = "ENABLED"

  access_token_validity = 30
  token_validity_units {
    access_token = "minutes"
  }
}

# Managed login serves sign-in pages only for app clients that have a branding style, and a client made through the
# API has none: give it Cognito's default style.
resource "cognito_managed_login_branding" "web" {
  user_pool_id                = cognito_user_pool_client.web.user_pool_id
  client_id                   = cognito_user_pool_client.web.id
  use_cognito_provided_values = true
}

output "client_id" {
  value = cognito_user_pool_client.web.id
}
