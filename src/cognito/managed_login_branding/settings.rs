//! `settings`, the style's JSON document, compared as a JSON value and never as text: key order, whitespace and
//! the spelling of numbers (`8`, `8.0`, `8e0`) never show as a change.
//!
//! Cognito may hold more than the configuration sent: members it fills in on its side. Right after each write the
//! provider takes what Cognito reports beyond what was sent as Cognito's own [`additions`] and remembers them
//! (private state). A later read takes those members out again ([`without_additions`]) before comparing, so they
//! never show in a plan, while anything else that differs (a console edit) does.
//!
//! UpdateManagedLoginBranding keeps the settings a request leaves out, so a configuration that drops a member
//! cannot be reached by one Update: [`drops_members`] tells when the style must first be reset.

use std::str::FromStr;

use bigdecimal::BigDecimal;
use serde_json::{Map, Value as Json};

/// Why a `settings` text is not a settings document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("it is not valid JSON: {message} at line {line}, column {column}")]
    NotJson {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("it is a JSON {found}, but the settings must be a JSON object")]
    NotObject { found: &'static str },
}

/// The settings document of a `settings` text: a JSON object.
pub fn parse(text: &str) -> Result<Json, SettingsError> {
    let value: Json = serde_json::from_str(text).map_err(|error| SettingsError::NotJson {
        message: error
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
        line: error.line(),
        column: error.column(),
    })?;
    match value {
        Json::Object(_) => Ok(value),
        other => Err(SettingsError::NotObject { found: kind(&other) }),
    }
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// Equality of JSON values: objects member by member whatever the order, arrays element by element, numbers by
/// their value.
pub fn equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Object(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| equal(value, other)))
        }
        (Json::Array(a), Json::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y)),
        (Json::Number(a), Json::Number(b)) => {
            match (
                BigDecimal::from_str(&a.to_string()),
                BigDecimal::from_str(&b.to_string()),
            ) {
                (Ok(a), Ok(b)) => a == b,
                _ => a == b,
            }
        }
        _ => a == b,
    }
}

/// Equality of two optional documents, where an absent document and an empty object both mean "nothing
/// customized".
pub fn equal_documents(a: Option<&Json>, b: Option<&Json>) -> bool {
    match (non_empty(a), non_empty(b)) {
        (None, None) => true,
        (Some(a), Some(b)) => equal(a, b),
        _ => false,
    }
}

/// `None` for an absent document or an empty object.
pub fn non_empty(document: Option<&Json>) -> Option<&Json> {
    document.filter(|value| !matches!(value, Json::Object(members) if members.is_empty()))
}

/// The members `remote` has and `sent` has not (looking into objects both have), as a document of the same
/// shape; `None` when there are none.
pub fn additions(remote: &Json, sent: &Json) -> Option<Json> {
    let (Json::Object(remote), Json::Object(sent)) = (remote, sent) else {
        return None;
    };
    let mut extra = Map::new();
    for (key, value) in remote {
        match sent.get(key) {
            None => {
                extra.insert(key.clone(), value.clone());
            }
            Some(sent_value) => {
                if let Some(nested) = additions(value, sent_value) {
                    extra.insert(key.clone(), nested);
                }
            }
        }
    }
    (!extra.is_empty()).then_some(Json::Object(extra))
}

/// `remote` without the members of `additions` that still have the value Cognito gave them; a member that has
/// since changed stays, so the change shows.
pub fn without_additions(remote: &Json, additions: &Json) -> Json {
    let (Json::Object(remote), Json::Object(additions)) = (remote, additions) else {
        return remote.clone();
    };
    let mut kept = Map::new();
    for (key, value) in remote {
        match additions.get(key) {
            Some(added) if equal(value, added) => {}
            Some(added @ Json::Object(_)) if value.is_object() => {
                let rest = without_additions(value, added);
                let emptied = matches!(&rest, Json::Object(members) if members.is_empty());
                if !emptied {
                    kept.insert(key.clone(), rest);
                }
            }
            _ => {
                kept.insert(key.clone(), value.clone());
            }
        }
    }
    Json::Object(kept)
}

/// Whether going from `old` to `new` drops something an Update would keep: a member of an object (looking into
/// objects both have), or trailing elements of an array (in case Cognito merges arrays element by element).
pub fn drops_members(old: &Json, new: &Json) -> bool {
    match (old, new) {
        (Json::Object(old), Json::Object(new)) => old.iter().any(|(key, value)| match new.get(key) {
            None => true,
            Some(new_value) => drops_members(value, new_value),
        }),
        (Json::Array(old), Json::Array(new)) => old.len() > new.len(),
        _ => false,
    }
}

/// The compact text of a document, members in the order Cognito (or the configuration) gave them.
pub fn canonical(value: &Json) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formatting_key_order_and_number_spelling_are_not_changes() {
        let written = parse("{\n  \"b\": [1, 2.0],\n  \"a\": {\"x\": 8e0, \"y\": \"s\"}\n}").unwrap();
        let reordered = parse(r#"{"a":{"y":"s","x":8},"b":[1.00,2]}"#).unwrap();
        assert!(equal(&written, &reordered));
        assert!(!equal(&written, &parse(r#"{"a":{"y":"s","x":9},"b":[1,2]}"#).unwrap()));
        assert!(
            !equal(&written, &parse(r#"{"a":{"y":"s","x":8},"b":[2,1]}"#).unwrap()),
            "array order counts"
        );
        assert!(
            !equal(&json!({"a": 1}), &json!({"a": 1, "b": null})),
            "a null member is still a member"
        );
        assert!(!equal(&json!({"a": "1"}), &json!({"a": 1})));
    }

    #[test]
    fn only_json_objects_are_settings() {
        assert!(matches!(
            parse("{\"a\": 1,}"),
            Err(SettingsError::NotJson { line: 1, column: 9, .. })
        ));
        let error = parse("{\n  \"a\": 1 2\n}").unwrap_err().to_string();
        assert!(error.starts_with("it is not valid JSON: expected"), "{error}");
        assert!(error.ends_with(" at line 2, column 10"), "{error}");
        assert_eq!(parse("[1]"), Err(SettingsError::NotObject { found: "array" }));
        assert_eq!(parse("\"{}\""), Err(SettingsError::NotObject { found: "string" }));
    }

    #[test]
    fn absent_and_empty_documents_mean_nothing_customized() {
        assert!(equal_documents(None, Some(&json!({}))));
        assert!(equal_documents(Some(&json!({})), None));
        assert!(!equal_documents(None, Some(&json!({"a": 1}))));
        assert!(equal_documents(Some(&json!({"a": 1.0})), Some(&json!({"a": 1}))));
    }

    #[test]
    fn additions_are_what_cognito_holds_beyond_what_was_sent() {
        let sent = json!({"categories": {"global": {"colorSchemeMode": "DARK"}}});
        let remote = json!({
            "categories": {"global": {"colorSchemeMode": "DARK", "spacingDensity": "REGULAR"}},
            "componentClasses": {"buttons": {"borderRadius": 8}}
        });
        let added = additions(&remote, &sent).unwrap();
        assert_eq!(
            added,
            json!({
                "categories": {"global": {"spacingDensity": "REGULAR"}},
                "componentClasses": {"buttons": {"borderRadius": 8}}
            })
        );
        assert_eq!(additions(&sent, &sent), None);
        assert!(equal(&without_additions(&remote, &added), &sent));
    }

    #[test]
    fn a_changed_addition_or_a_new_member_still_shows() {
        let sent = json!({"a": {"x": 1}});
        let added = json!({"a": {"y": 2}, "b": true});
        let console_changed_addition = json!({"a": {"x": 1, "y": 3}, "b": true});
        assert_eq!(
            without_additions(&console_changed_addition, &added),
            json!({"a": {"x": 1, "y": 3}})
        );
        let console_added_member = json!({"a": {"x": 1, "y": 2}, "b": true, "c": "new"});
        assert_eq!(
            without_additions(&console_added_member, &added),
            json!({"a": {"x": 1}, "c": "new"})
        );
        let console_changed_sent = json!({"a": {"x": 5, "y": 2}, "b": true});
        assert!(!equal(&without_additions(&console_changed_sent, &added), &sent));
    }

    #[test]
    fn dropping_a_member_needs_a_reset_changing_one_does_not() {
        let old = json!({"a": {"x": 1, "y": 2}, "list": [1, 2]});
        assert!(!drops_members(
            &old,
            &json!({"a": {"x": 5, "y": 2, "z": 0}, "list": [1, 2, 3]})
        ));
        assert!(!drops_members(&old, &json!({"a": "replaced whole", "list": [1, 2]})));
        assert!(drops_members(&old, &json!({"a": {"x": 1}, "list": [1, 2]})));
        assert!(drops_members(&old, &json!({"a": {"x": 1, "y": 2}})));
        assert!(drops_members(&old, &json!({"a": {"x": 1, "y": 2}, "list": [1]})));
    }

    #[test]
    fn canonical_text_is_compact_and_keeps_member_order() {
        let value = parse("{ \"z\": 1,\n \"a\": [true, null] }").unwrap();
        assert_eq!(canonical(&value), r#"{"z":1,"a":[true,null]}"#);
    }
}
