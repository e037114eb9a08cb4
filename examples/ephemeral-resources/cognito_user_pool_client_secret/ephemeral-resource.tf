# The secret is read at plan and apply time and never written to the plan or the state.
ephemeral "cognito_user_pool_client_secret" "app" {
  user_pool_id = "eu-west-1_AbCdEfGhI"
  client_id    = "1example23456789abcdefghij"
}

# Usable wherever Terraform accepts ephemeral values, for example another provider's configuration.
provider "example" {
  client_id     = "1example23456789abcdefghij"
  client_secret = ephemeral.cognito_user_pool_client_secret.app.client_secret
}
