data "cognito_user_pool_clients" "all" {
  user_pool_id = "eu-west-1_AbCdEfGhI"
}

# client_names[i] is the name of client_ids[i]; names need not be unique.
output "client_ids" {
  value = data.cognito_user_pool_clients.all.client_ids
}
