//! Pinpoint analytics: a project either by ARN (Cognito then supplies the role) or by ID with the role and its
//! external ID.

use super::view::{Known, block, field, in_block, string};
use crate::cognito::user_pool_client::schema::attr;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::Value;

const ARN_CHARACTERS: (usize, usize) = (20, 2048);

pub fn check(config: &Value, diagnostics: &mut Diagnostics) {
    let Known::Value(Some(analytics)) = block(config, attr::ANALYTICS_CONFIGURATION) else {
        return;
    };
    let path = |name: &str| in_block(attr::ANALYTICS_CONFIGURATION, name);
    let arn = string(field(analytics, attr::APPLICATION_ARN));
    let id = string(field(analytics, attr::APPLICATION_ID));
    let role = string(field(analytics, attr::ROLE_ARN));
    let external_id = string(field(analytics, attr::EXTERNAL_ID));

    match (&arn, &id) {
        (Known::Null, Known::Null) => diagnostics.push(
            Diagnostic::error(
                "Analytics without a Pinpoint project",
                "analytics_configuration needs exactly one of application_arn (Cognito then supplies the role) \
                 or application_id (with role_arn and external_id).",
            )
            .at(path(attr::APPLICATION_ID)),
        ),
        (Known::Value(_), Known::Value(_)) => diagnostics.push(
            Diagnostic::error(
                "Both application_arn and application_id",
                "Give the Pinpoint project either by application_arn or by application_id (with role_arn and \
                 external_id), not both.",
            )
            .at(path(attr::APPLICATION_ID)),
        ),
        _ => {}
    }
    if let Known::Value(application_id) = &id {
        for (name, value) in [(attr::ROLE_ARN, &role), (attr::EXTERNAL_ID, &external_id)] {
            if *value == Known::Null {
                diagnostics.push(
                    Diagnostic::error(
                        format!("application_id needs {name}"),
                        "With application_id, Cognito publishes events by assuming role_arn with external_id: \
                         give both, or give application_arn instead.",
                    )
                    .at(path(attr::APPLICATION_ID)),
                );
            }
        }
        if application_id.is_empty() || !application_id.chars().all(|c| c.is_ascii_hexdigit()) {
            diagnostics.push(
                Diagnostic::error(
                    "Invalid application_id",
                    format!("{application_id:?} is not a Pinpoint project ID, which is hexadecimal."),
                )
                .at(path(attr::APPLICATION_ID)),
            );
        }
    }
    if let (Known::Value(_), Known::Value(_)) = (&arn, &external_id) {
        diagnostics.push(
            Diagnostic::error(
                "external_id with application_arn",
                "With application_arn, Cognito supplies the role itself and takes no external ID: leave \
                 external_id out, or give application_id, role_arn and external_id instead.",
            )
            .at(path(attr::EXTERNAL_ID)),
        );
    }
    for (name, value) in [(attr::APPLICATION_ARN, &arn), (attr::ROLE_ARN, &role)] {
        if let Known::Value(text) = value {
            let (min, max) = ARN_CHARACTERS;
            if !text.starts_with("arn:") || !(min..=max).contains(&text.chars().count()) {
                diagnostics.push(
                    Diagnostic::error(
                        format!("Invalid {name}"),
                        format!("{text:?} is not an ARN: it must start with arn: and have {min} to {max} characters."),
                    )
                    .at(path(name)),
                );
            }
        }
    }
}
