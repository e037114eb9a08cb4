# A style is imported by its user pool ID and style ID, separated by a slash (a comma, as in HashiCorp's
# aws_cognito_managed_login_branding, works too) ...
terraform import cognito_managed_login_branding.shop eu-west-1_AbCdEfGhI/6f1c2a9e-0d4b-4c1e-9a7f-3b2d1e0f4a5c

# ... or by its user pool ID and the ID of the app client it belongs to.
terraform import cognito_managed_login_branding.shop eu-west-1_AbCdEfGhI/1example23456789abcdefghij
