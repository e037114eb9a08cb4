//! Callback and sign-out URLs, and the default redirect. Cognito's rules for a redirect URI: absolute, no
//! fragment, HTTPS except plain HTTP to the loopback host for local testing, and app schemes such as
//! `myapp://callback` for native apps.

use std::fmt;

use super::view::{Known, at, field, known_elements, planned, string, strings};
use crate::cognito::user_pool_client::schema::attr;
use crate::tf::diagnostics::{Diagnostic, Diagnostics};
use crate::tf::value::Value;

pub const MAX_URLS: usize = 100;
const MAX_URL_CHARACTERS: usize = 1024;
/// Hosts to which Cognito allows plain `http`.
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Why a URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    TooLong,
    Whitespace,
    NotAbsolute,
    Fragment,
    PlainHttp,
    NoHost,
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlProblem::Empty => "it is empty",
            UrlProblem::TooLong => "it is longer than 1024 characters",
            UrlProblem::Whitespace => "it contains whitespace or control characters",
            UrlProblem::NotAbsolute => "it is not absolute (it needs a scheme such as https://)",
            UrlProblem::Fragment => "it has a fragment (#...), which redirect URIs must not have",
            UrlProblem::PlainHttp => "plain http is only allowed to localhost, 127.0.0.1 or [::1]",
            UrlProblem::NoHost => "it has no host after https://",
        })
    }
}

/// What every URL rule explains.
const ALLOWED: &str = "A URL must be absolute and without a fragment: https://..., http:// only to localhost, \
                       127.0.0.1 or [::1] (for local testing), or an app scheme such as myapp://callback.";

/// The scheme of an absolute URI (RFC 3986: a letter, then letters, digits, `+`, `-` or `.`, then `:`).
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut characters = scheme.chars();
    let first = characters.next()?;
    (first.is_ascii_alphabetic() && characters.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(scheme)
}

/// The host of `//authority/...` (after the scheme's colon), lower-cased, without user info or port.
fn host(after_scheme: &str) -> Option<String> {
    let authority = after_scheme.strip_prefix("//")?;
    let authority = authority.split(['/', '?']).next().unwrap_or_default();
    let host_and_port = authority.rsplit_once('@').map_or(authority, |(_, rest)| rest);
    let host = if host_and_port.starts_with('[') {
        host_and_port.split_inclusive(']').next().unwrap_or_default()
    } else {
        host_and_port.split(':').next().unwrap_or_default()
    };
    Some(host.to_ascii_lowercase())
}

/// Checks one URL against Cognito's redirect-URI rules.
pub fn check_url(url: &str) -> Result<(), UrlProblem> {
    if url.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if url.chars().count() > MAX_URL_CHARACTERS {
        return Err(UrlProblem::TooLong);
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::Whitespace);
    }
    let Some(scheme) = scheme(url) else {
        return Err(UrlProblem::NotAbsolute);
    };
    if url.contains('#') {
        return Err(UrlProblem::Fragment);
    }
    let after_scheme = &url[scheme.len() + 1..];
    match scheme.to_ascii_lowercase().as_str() {
        "http" => match host(after_scheme) {
            Some(host) if LOOPBACK_HOSTS.contains(&host.as_str()) => Ok(()),
            _ => Err(UrlProblem::PlainHttp),
        },
        "https" => match host(after_scheme) {
            Some(host) if !host.is_empty() => Ok(()),
            _ => Err(UrlProblem::NoHost),
        },
        _ if after_scheme.is_empty() => Err(UrlProblem::NotAbsolute),
        _ => Ok(()),
    }
}

pub fn check(config: &Value, diagnostics: &mut Diagnostics) {
    for name in [attr::CALLBACK_URLS, attr::LOGOUT_URLS] {
        let elements = known_elements(field(config, name));
        for url in &elements {
            if let Err(problem) = check_url(url) {
                diagnostics.push(
                    Diagnostic::error(
                        format!("Invalid URL in {name}"),
                        format!("{url:?}: {problem}. {ALLOWED}"),
                    )
                    .at(at(name)),
                );
            }
        }
        let distinct: std::collections::BTreeSet<&str> = elements.into_iter().collect();
        if distinct.len() > MAX_URLS {
            diagnostics.push(
                Diagnostic::error(
                    format!("Too many {name}"),
                    format!(
                        "{} URLs are configured; a client allows at most {MAX_URLS}.",
                        distinct.len()
                    ),
                )
                .at(at(name)),
            );
        }
    }
    check_default_redirect(config, diagnostics);
}

fn check_default_redirect(config: &Value, diagnostics: &mut Diagnostics) {
    let Known::Value(redirect) = string(field(config, attr::DEFAULT_REDIRECT_URI)) else {
        return;
    };
    if let Err(problem) = check_url(redirect) {
        diagnostics.push(
            Diagnostic::error(
                "Invalid default_redirect_uri",
                format!("{redirect:?}: {problem}. {ALLOWED}"),
            )
            .at(at(attr::DEFAULT_REDIRECT_URI)),
        );
        return;
    }
    let Some(callbacks) = strings(planned(config, attr::CALLBACK_URLS)).value() else {
        return;
    };
    if !callbacks.contains(redirect) {
        diagnostics.push(
            Diagnostic::error(
                "default_redirect_uri is not a callback URL",
                format!(
                    "{redirect:?} must also be one of callback_urls, which {}.",
                    if callbacks.is_empty() {
                        "is empty".to_string()
                    } else {
                        format!(
                            "holds {}",
                            callbacks
                                .iter()
                                .map(|u| format!("{u:?}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ),
            )
            .at(at(attr::DEFAULT_REDIRECT_URI)),
        );
    }
}
