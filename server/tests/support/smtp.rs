//! An SMTP server that accepts every message and keeps it: what a mail relay would receive
//! from the portal's real SMTP transport (lettre, no TLS on loopback).

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    /// The decoded text body (the text/plain part of a multipart message).
    pub body: String,
    /// The decoded text/html part, if the message has one.
    pub html: Option<String>,
    /// The message as received (headers and encoded body).
    pub raw: String,
}

pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = mails.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, kept.clone()));
            }
        });
        Self { port, mails }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    pub fn to(&self, address: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .collect()
    }

    /// Waits for an e-mail to `address` whose body contains `needle`; its body.
    pub async fn wait_for(&self, address: &str, needle: &str) -> String {
        super::eventually(&format!("an e-mail to {address} with {needle:?}"), || {
            self.to(address)
                .into_iter()
                .map(|m| m.body)
                .find(|b| b.contains(needle))
        })
        .await
    }
}

/// The personal link's token in an invitation e-mail.
pub fn invitation_token(body: &str) -> String {
    body.split("/uitnodiging/")
        .nth(1)
        .expect("an invitation link")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

async fn session(stream: tokio::net::TcpStream, mails: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250-sink.test\r\n250 8BITMIME\r\n",
            "MAIL" => {
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let address = line
                    .split(['<', '>'])
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                to.push(address);
                b"250 OK\r\n"
            }
            "DATA" => {
                let _ = write.write_all(b"354 go ahead\r\n").await;
                let mut raw = String::new();
                while let Ok(Some(l)) = lines.next_line().await {
                    if l == "." {
                        break;
                    }
                    raw.push_str(
                        l.strip_prefix('.')
                            .filter(|_| l.starts_with(".."))
                            .unwrap_or(&l),
                    );
                    raw.push_str("\r\n");
                }
                // As a mail client shows it: line ends as \n, no trailing line end.
                let (body, html) = parts(&raw);
                let body = body.replace("\r\n", "\n").trim_end().to_string();
                let html = html.map(|h| h.replace("\r\n", "\n"));
                mails.lock().unwrap().push(Mail {
                    to: to.clone(),
                    body,
                    html,
                    raw,
                });
                b"250 queued\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"250 OK\r\n",
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

fn header(headers: &str, name: &str) -> Option<String> {
    // Folded headers (a continuation line starts with white space) are joined first.
    let unfolded = headers.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|h| {
        let (key, value) = h.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

/// The text and HTML bodies of a message: a single text part, or the parts of a multipart one.
fn parts(raw: &str) -> (String, Option<String>) {
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let content_type = header(headers, "content-type").unwrap_or_default();
    let Some(boundary) = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
    else {
        return (decode(raw), None);
    };
    let (mut text, mut html) = (String::new(), None);
    for part in body.split(&format!("--{boundary}")) {
        let part = part.trim_start_matches("\r\n");
        let (part_headers, _) = part.split_once("\r\n\r\n").unwrap_or((part, ""));
        let kind = header(part_headers, "content-type")
            .unwrap_or_default()
            .to_lowercase();
        if kind.starts_with("text/plain") {
            text = decode(part);
        } else if kind.starts_with("text/html") {
            html = Some(decode(part));
        }
    }
    (text, html)
}

/// The body of a single part, undoing its transfer encoding.
fn decode(raw: &str) -> String {
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let encoding = header(headers, "content-transfer-encoding")
        .unwrap_or_default()
        .to_lowercase();
    match encoding.as_str() {
        "base64" => {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            String::from_utf8_lossy(
                &base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .unwrap_or_default(),
            )
            .to_string()
        }
        "quoted-printable" => {
            let joined = body.replace("=\r\n", "");
            let bytes = joined.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                }
                out.push(bytes[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).to_string()
        }
        _ => body.to_string(),
    }
}
