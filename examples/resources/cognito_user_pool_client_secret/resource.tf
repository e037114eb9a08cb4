# Rotates an app client's secret every calendar quarter (about 90 days), with no moment where the application holds
# a secret Cognito no longer accepts: the new secret is added (the client has two for a while), what uses the secret
# is updated, and only then is the old secret deleted (create_before_destroy).

variable "user_pool_id" {
  type = string
}

variable "now" {
  description = "The time the rotation period is taken from (RFC 3339). Null: the time of the plan."
  type        = string
  default     = null
}

locals {
  now = coalesce(var.now, plantimestamp())
  # The calendar quarter, e.g. "2026-Q2": it changes about every 90 days, and each change rotates the secret.
  rotation_period = format("%s-Q%d", formatdate("YYYY", local.now), ceil(tonumber(formatdate("M", local.now)) / 3))
}

resource "terraform_data" "rotation_period" {
  input = local.rotation_period
}

resource "cognito_user_pool_client" "api" {
  user_pool_id    = var.user_pool_id
  name            = "api"
  generate_secret = true
  # The secrets are managed below: the one the client is created with is never handed out.
  client_secret_in_state = false
}

resource "cognito_user_pool_client_secret" "current" {
  user_pool_id = cognito_user_pool_client.api.user_pool_id
  client_id    = cognito_user_pool_client.api.id

  # Cognito allows two secrets per client. The client's first one is retired as soon as this one exists, so that
  # a rotation (two secrets for a moment) always has room.
  retire_secret_id = cognito_user_pool_client.api.initial_secret_id

  # The value is read through the ephemeral resource below, never stored.
  client_secret_in_state = false

  lifecycle {
    create_before_destroy = true
    replace_triggered_by  = [terraform_data.rotation_period]
  }
}

# The current secret's value for this run only: never written to the plan or the state.
ephemeral "cognito_user_pool_client_secret" "current" {
  user_pool_id = cognito_user_pool_client.api.user_pool_id
  client_id    = cognito_user_pool_client.api.id
  secret_id    = cognito_user_pool_client_secret.current.id
}

# What uses the secret. This stand-in records which secret the application is given; a real consumer takes the
# value in a write-only argument, for example
#
#   resource "aws_secretsmanager_secret_version" "api" {
#     secret_id                = aws_secretsmanager_secret.api.id
#     secret_string_wo         = ephemeral.cognito_user_pool_client_secret.current.client_secret
#     secret_string_wo_version = parseint(formatdate("YYYYMMDDhhmmss", cognito_user_pool_client_secret.current.creation_date), 10)
#   }
resource "terraform_data" "consumer" {
  input = cognito_user_pool_client_secret.current.id
}
