//! A minimal blocking HTTP/1.1 client for the proxy's `/_proxy/` control endpoints, and for Cognito requests sent
//! to the proxy exactly as written.
//!
//! The control calls are a handful of small JSON requests to 127.0.0.1, made from both async and plain tests, so a
//! synchronous client over `std::net::TcpStream` is enough and keeps the tests free of an HTTP client dependency and
//! of any runtime. Each call opens a connection, sends `Connection: close` and reads until the proxy closes it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// How long one control call may take before it is reported as failed instead of hanging a test.
const CONTROL_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("the base URL {0:?} is not of the form http://host:port")]
    UnsupportedUrl(String),
    #[error("I/O error talking to the proxy: {0}")]
    Io(#[from] std::io::Error),
    #[error("malformed HTTP response from the proxy: {0}")]
    MalformedResponse(String),
    #[error("the proxy answered {method} {path} with HTTP {status}: {body}")]
    Status {
        method: String,
        path: String,
        status: u16,
        body: String,
    },
    #[error("the proxy's answer is not the expected JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Sends `method path` with an optional JSON body to `base_url` (e.g. `http://127.0.0.1:4566`) and returns the
/// response body of a 2xx answer; any other status is an error carrying the body, which explains it.
pub fn call(
    base_url: &str,
    method: &str,
    path: &str,
    json_body: Option<&serde_json::Value>,
) -> Result<Vec<u8>, ControlError> {
    let (status, response_body) = exchange(
        base_url,
        method,
        path,
        &[("Content-Type", "application/json")],
        json_body,
    )?;
    if (200..300).contains(&status) {
        Ok(response_body)
    } else {
        Err(ControlError::Status {
            method: method.to_owned(),
            path: path.to_owned(),
            status,
            body: String::from_utf8_lossy(&response_body).into_owned(),
        })
    }
}

/// Sends one Cognito operation to `base_url` exactly as written (`X-Amz-Target` and the JSON 1.1 content type),
/// bypassing the SDK and its own checks; returns the HTTP status and the decoded answer (`null` when empty).
pub fn cognito_call(
    base_url: &str,
    operation: &str,
    json_body: &serde_json::Value,
) -> Result<(u16, serde_json::Value), ControlError> {
    let target = format!("AWSCognitoIdentityProviderService.{operation}");
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", target.as_str()),
    ];
    let (status, body) = exchange(base_url, "POST", "/", &headers, Some(json_body))?;
    let answer = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&body)?
    };
    Ok((status, answer))
}

/// One request on a fresh connection (`Connection: close`); the status and body of the answer, whatever it is.
fn exchange(
    base_url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json_body: Option<&serde_json::Value>,
) -> Result<(u16, Vec<u8>), ControlError> {
    let authority = base_url
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .filter(|rest| !rest.is_empty() && !rest.contains('/'))
        .ok_or_else(|| ControlError::UnsupportedUrl(base_url.to_owned()))?;
    let body = match json_body {
        Some(value) => serde_json::to_vec(value)?,
        None => Vec::new(),
    };

    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(CONTROL_TIMEOUT))?;
    stream.set_write_timeout(Some(CONTROL_TIMEOUT))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()?;

    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

/// Splits a complete HTTP/1.1 response into its status code and body (honouring Content-Length when present).
fn parse_response(raw: &[u8]) -> Result<(u16, Vec<u8>), ControlError> {
    let header_end = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| ControlError::MalformedResponse("no end of headers".to_owned()))?;
    let head = std::str::from_utf8(&raw[..header_end])
        .map_err(|_| ControlError::MalformedResponse("headers are not UTF-8".to_owned()))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| ControlError::MalformedResponse(format!("bad status line {status_line:?}")))?;
    let content_length = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.trim().parse::<usize>())
        .transpose()
        .map_err(|_| ControlError::MalformedResponse("bad Content-Length".to_owned()))?;
    let body = &raw[header_end + 4..];
    let body = match content_length {
        Some(length) if length <= body.len() => &body[..length],
        Some(length) => {
            return Err(ControlError::MalformedResponse(format!(
                "body has {} bytes, Content-Length says {length}",
                body.len()
            )));
        }
        None => body,
    };
    Ok((status, body.to_vec()))
}
