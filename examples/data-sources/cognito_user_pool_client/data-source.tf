data "cognito_user_pool_client" "existing" {
  user_pool_id = "eu-west-1_AbCdEfGhI"
  client_id    = "1example23456789abcdefghij"
}

output "existing_callback_urls" {
  value = data.cognito_user_pool_client.existing.callback_urls
}
