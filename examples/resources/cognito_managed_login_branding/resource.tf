# Cognito's default style: what an app client made through the API needs before managed login serves its pages.
resource "cognito_managed_login_branding" "web" {
  user_pool_id                = cognito_user_pool_client.web.user_pool_id
  client_id                   = cognito_user_pool_client.web.id
  use_cognito_provided_values = true
}

# A style of its own: settings as the branding editor writes them, and images.
resource "cognito_managed_login_branding" "shop" {
  user_pool_id = "eu-west-1_AbCdEfGhI"
  client_id    = "1example23456789abcdefghij"

  settings = jsonencode({
    categories = {
      global = {
        colorSchemeMode = "DARK"
        pageHeader      = { enabled = true }
      }
      form = {
        location = { horizontal = "CENTER", vertical = "CENTER" }
      }
    }
  })

  # An image read by the provider: only the path and the hash are kept in the state.
  asset {
    category    = "PAGE_HEADER_LOGO"
    color_mode  = "DARK"
    extension   = "PNG"
    file        = "${path.module}/logo-dark.png"
    file_sha256 = filebase64sha256("${path.module}/logo-dark.png")
  }

  # An image given inline, as HashiCorp's aws_cognito_managed_login_branding takes it.
  asset {
    category   = "FAVICON_SVG"
    color_mode = "DYNAMIC"
    extension  = "SVG"
    bytes      = filebase64("${path.module}/favicon.svg")
  }
}
