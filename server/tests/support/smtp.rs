//! An SMTP server that accepts every message and keeps it: what a mail relay would receive
//! from the portal's real SMTP transport (lettre, no TLS on loopback).

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    /// The decoded text body.
    pub body: String,
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
                mails.lock().unwrap().push(Mail {
                    to: to.clone(),
                    body: decode(&raw),
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

/// The text body of a single-part message, undoing its transfer encoding.
fn decode(raw: &str) -> String {
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let encoding = headers
        .lines()
        .find_map(|h| {
            h.to_ascii_lowercase()
                .strip_prefix("content-transfer-encoding:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();
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
