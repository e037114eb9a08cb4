//! Legal configurations that rarely mean what they seem to.

use super::view::{Known, at, field, strings};
use crate::cognito::user_pool_client::schema::attr;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::Value;

const COGNITO_PROVIDER: &str = "COGNITO";

pub fn check(config: &Value, diagnostics: &mut Diagnostics) {
    if let Known::Value(attributes) = strings(field(config, attr::WRITE_ATTRIBUTES))
        && attributes.is_empty()
    {
        diagnostics.push(
            Diagnostic::warning(
                "Empty write_attributes means all writable",
                "Cognito reads an empty write_attributes as its default: the client can write every writable \
                 standard attribute. There is no way to express \"none\"; list the attributes the client may \
                 write to restrict it.",
            )
            .at(at(attr::WRITE_ATTRIBUTES)),
        );
    }
    if let Known::Value(providers) = strings(field(config, attr::SUPPORTED_IDENTITY_PROVIDERS))
        && !providers.is_empty()
        && !providers.contains(COGNITO_PROVIDER)
    {
        diagnostics.push(
            Diagnostic::warning(
                "COGNITO is not a supported identity provider",
                "supported_identity_providers leaves out COGNITO, so users of the pool's own directory cannot \
                 sign in to this client through managed login; only the listed federated providers can. Add \
                 \"COGNITO\" if that is not intended.",
            )
            .at(at(attr::SUPPORTED_IDENTITY_PROVIDERS)),
        );
    }
}
