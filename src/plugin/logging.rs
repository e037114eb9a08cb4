//! Logs as hclog JSON lines on stderr. Terraform reads the provider's stderr and re-logs each line; go-plugin
//! recognises `{"@level":…,"@message":…,"@timestamp":…}` lines and keeps their level, but only when the timestamp
//! has exactly Go's layout `2006-01-02T15:04:05.000000Z07:00`. stdout is reserved for the handshake line.
//!
//! The level comes from `TF_LOG_PROVIDER`, else `TF_LOG` (as with Go providers); with neither set only warnings
//! and errors are written. Dependencies (AWS SDK, HTTP, TLS) log at most at INFO, whatever the level: their debug
//! and trace output is noisy and could carry request bodies.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, Registry};

const OUR_CRATE: &str = "terraform_provider_cognito";

/// Reads the level from the environment the way Terraform's own providers do.
pub fn level_from_env(provider_level: Option<&str>, global_level: Option<&str>) -> LevelFilter {
    let chosen = provider_level
        .filter(|v| !v.is_empty())
        .or(global_level.filter(|v| !v.is_empty()));
    match chosen.map(|v| v.trim().to_ascii_uppercase()) {
        None => LevelFilter::WARN,
        Some(level) => match level.as_str() {
            "TRACE" | "JSON" => LevelFilter::TRACE,
            "DEBUG" => LevelFilter::DEBUG,
            "INFO" => LevelFilter::INFO,
            "WARN" => LevelFilter::WARN,
            "ERROR" => LevelFilter::ERROR,
            "OFF" => LevelFilter::OFF,
            // Terraform treats any other non-empty value as TRACE.
            _ => LevelFilter::TRACE,
        },
    }
}

/// Installs the stderr logger. Called once, first thing in `main`.
pub fn init() {
    let level = level_from_env(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    let dependencies = level.min(LevelFilter::INFO);
    let filter = Targets::new().with_default(dependencies).with_target(OUR_CRATE, level);
    let _ = Registry::default().with(HclogLayer.with_filter(filter)).try_init();
}

/// Formats events as hclog JSON.
struct HclogLayer;

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = format_event(event, SystemTime::now());
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(line.as_bytes());
    }
}

fn format_event(event: &Event<'_>, now: SystemTime) -> String {
    let metadata = event.metadata();
    let mut fields = JsonFields::default();
    event.record(&mut fields);
    let mut line = String::with_capacity(160);
    line.push_str("{\"@level\":\"");
    line.push_str(level_name(metadata.level()));
    line.push_str("\",\"@message\":");
    push_json_string(&mut line, &fields.message);
    line.push_str(",\"@module\":");
    push_json_string(&mut line, &module_name(metadata.target()));
    line.push_str(",\"@timestamp\":\"");
    line.push_str(&go_timestamp(now));
    line.push('"');
    line.push_str(&fields.rest);
    line.push_str("}\n");
    line
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// `terraform_provider_cognito::cognito::api` → `provider.cognito.api`: short, and stable across refactors.
fn module_name(target: &str) -> String {
    match target.strip_prefix(OUR_CRATE) {
        Some(rest) => format!("provider{}", rest.replace("::", ".")),
        None => target.replace("::", "."),
    }
}

#[derive(Default)]
struct JsonFields {
    message: String,
    /// Already-serialised `,"key":value` pairs.
    rest: String,
}

impl JsonFields {
    fn push_key(&mut self, field: &Field) {
        self.rest.push(',');
        push_json_string(&mut self.rest, field.name());
        self.rest.push(':');
    }
}

impl Visit for JsonFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.push_key(field);
            push_json_string(&mut self.rest, value);
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.push_key(field);
        self.rest.push_str(if value { "true" } else { "false" });
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push_key(field);
        let _ = write!(self.rest, "{value}");
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.push_key(field);
        let _ = write!(self.rest, "{value}");
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message.push_str(&text);
        } else {
            self.push_key(field);
            push_json_string(&mut self.rest, &text);
        }
    }
}

fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `2006-01-02T15:04:05.000000Z07:00` in UTC, e.g. `2026-11-22T03:04:05.123456Z`.
pub fn go_timestamp(now: SystemTime) -> String {
    let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since_epoch.as_secs() as i64;
    let micros = since_epoch.subsec_micros();
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        second_of_day / 3600,
        (second_of_day / 60) % 60,
        second_of_day % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_use_go_layout() {
        let at = UNIX_EPOCH + Duration::from_micros(1_795_312_967_711_042);
        assert_eq!(go_timestamp(at), "2026-11-22T02:02:47.711042Z");
        assert_eq!(go_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            go_timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000000Z"
        );
    }

    #[test]
    fn level_comes_from_provider_variable_then_global() {
        assert_eq!(level_from_env(Some("debug"), Some("TRACE")), LevelFilter::DEBUG);
        assert_eq!(level_from_env(None, Some("INFO")), LevelFilter::INFO);
        assert_eq!(level_from_env(Some(""), Some("JSON")), LevelFilter::TRACE);
        assert_eq!(level_from_env(None, None), LevelFilter::WARN);
        assert_eq!(level_from_env(None, Some("1")), LevelFilter::TRACE);
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"b\\c\nd\u{1}");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(
            module_name("terraform_provider_cognito::plugin::handshake"),
            "provider.plugin.handshake"
        );
    }
}
