//! The browser bundle, served from memory under content-hashed names with a year of caching,
//! brotli-precompressed when the build left a `.br` beside a file, plus the small HTML shell
//! every page path answers with (the app renders in the browser).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

pub struct Asset {
    content_type: &'static str,
    body: Bytes,
    brotli: Option<Bytes>,
}

pub struct Assets {
    files: HashMap<String, Asset>,
    shell: Bytes,
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    }
}

impl Assets {
    /// Reads `<site root>/pkg/{name}.js|.wasm|.css` (cargo-leptos' output) and names each after
    /// its content.
    pub fn load(site_root: &Path, name: &str) -> std::io::Result<Self> {
        let pkg = site_root.join("pkg");
        let mut files = HashMap::new();
        let mut names = HashMap::new();
        for (ext, candidates) in [
            ("js", vec![format!("{name}.js")]),
            (
                "wasm",
                vec![format!("{name}.wasm"), format!("{name}_bg.wasm")],
            ),
            ("css", vec![format!("{name}.css")]),
        ] {
            let path = candidates
                .iter()
                .map(|c| pkg.join(c))
                .find(|p| p.is_file())
                .ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!(
                            "{}/{name}.{ext} is missing: build the site first (cargo leptos build)",
                            pkg.display()
                        ),
                    )
                })?;
            let body = Bytes::from(std::fs::read(&path)?);
            let br_path = path.with_extension(format!("{ext}.br"));
            let brotli = std::fs::read(&br_path).ok().map(Bytes::from);
            let hashed = format!("{name}-{}.{ext}", short_hash(&body));
            names.insert(ext, hashed.clone());
            files.insert(
                hashed,
                Asset {
                    content_type: content_type(ext),
                    body,
                    brotli,
                },
            );
        }
        let boot = format!(
            "import init, {{ hydrate }} from \"/pkg/{js}\";\ninit({{ module_or_path: \"/pkg/{wasm}\" }}).then(() => hydrate());\n",
            js = names["js"],
            wasm = names["wasm"],
        );
        let boot_name = format!("boot-{}.js", short_hash(boot.as_bytes()));
        files.insert(
            boot_name.clone(),
            Asset {
                content_type: content_type("js"),
                body: Bytes::from(boot),
                brotli: None,
            },
        );
        let shell = format!(
            "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"color-scheme\" content=\"light\">\n<title>Mijn Machtig</title>\n\
             <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
             <link rel=\"stylesheet\" href=\"/pkg/{css}\">\n\
             <link rel=\"modulepreload\" href=\"/pkg/{js}\">\n\
             <link rel=\"preload\" href=\"/pkg/{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
             <script type=\"module\" src=\"/pkg/{boot_name}\"></script>\n</head>\n\
             <body><noscript>Mijn Machtig heeft JavaScript nodig. / Mijn Machtig needs JavaScript.</noscript></body>\n</html>\n",
            css = names["css"],
            js = names["js"],
            wasm = names["wasm"],
        );
        Ok(Self {
            files,
            shell: Bytes::from(shell),
        })
    }

    pub fn shell(&self) -> Response {
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            self.shell.clone(),
        )
            .into_response()
    }

    pub fn file(&self, name: &str, request_headers: &HeaderMap) -> Response {
        let Some(asset) = self.files.get(name) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let accepts_br = request_headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("br")));
        let mut response = Response::new(Body::empty());
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let body = match (&asset.brotli, accepts_br) {
            (Some(br), true) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
                br.clone()
            }
            _ => asset.body.clone(),
        };
        *response.body_mut() = Body::from(body);
        response
    }
}
