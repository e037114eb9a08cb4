data "cognito_managed_login_branding" "web" {
  user_pool_id = "eu-west-1_AbCdEfGhI"
  client_id    = "1example23456789abcdefghij"

  # Also the settings left at Cognito's defaults.
  return_merged_resources = true
}

output "color_scheme" {
  value = jsondecode(data.cognito_managed_login_branding.web.settings).categories.global.colorSchemeMode
}
