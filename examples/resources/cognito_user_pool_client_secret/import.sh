# A secret is imported by its user pool ID, client ID and secret ID, separated by slashes.
terraform import cognito_user_pool_client_secret.current eu-west-1_AbCdEfGhI/1example23456789abcdefghij/1example23456789abcdefghij--1767225600000

# A client's only secret (for example the one it was created with) can be named by the client alone.
terraform import cognito_user_pool_client_secret.current eu-west-1_AbCdEfGhI/1example23456789abcdefghij
