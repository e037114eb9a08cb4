# An app client is imported by its user pool ID and client ID, separated by a slash.
terraform import cognito_user_pool_client.web eu-west-1_AbCdEfGhI/1example23456789abcdefghij
