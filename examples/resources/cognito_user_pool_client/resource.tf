# A public web client using the authorization-code flow with PKCE.
resource "cognito_user_pool_client" "web" {
  user_pool_id = "eu-west-1_AbCdEfGhI"
  name         = "web"

  explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  callback_urls                        = ["https://app.example.com/callback"]
  logout_urls                          = ["https://app.example.com/logout"]
  supported_identity_providers         = ["COGNITO"]

  prevent_user_existence_errors = "ENABLED"

  access_token_validity = 15
  token_validity_units {
    access_token  = "minutes"
    id_token      = "hours"
    refresh_token = "days"
  }
}

# A confidential machine-to-machine client; client_secret is set and sensitive.
resource "cognito_user_pool_client" "backend" {
  user_pool_id    = "eu-west-1_AbCdEfGhI"
  name            = "backend"
  generate_secret = true

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["client_credentials"]
  allowed_oauth_scopes                 = ["orders/read"]
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
}
