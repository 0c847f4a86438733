//! The browser bundle, served from memory under a content-hashed folder with a year of caching,
//! brotli-precompressed when the build left a `.br` beside a file, plus the small HTML shell
//! every page path answers with (the app renders in the browser).

use app::server::brand::Brand;
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
    /// A hash of every file of the build: the folder they are served from.
    build: String,
    /// The bundle's name (`machtig`): its stylesheet is `<name>.css`.
    name: String,
    files: HashMap<String, Asset>,
    shell: Bytes,
    /// The acceptance page's shell: its own small bundle (`accept.js`, `accept_bg.wasm`).
    accept_shell: Bytes,
    /// The sign-in page's shell: its own small bundle (`signin.js`, `signin_bg.wasm`).
    signin_shell: Bytes,
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

fn html(body: Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

impl Assets {
    /// Reads every file cargo-leptos left in `<site root>/pkg` (the JS glue, the main wasm, the
    /// wasm chunks of lazily loaded pages and their loader, the CSS) and serves them under
    /// `/pkg/<build>/`, where `<build>` is a hash of all of them: the chunks import each other
    /// by relative name, so the whole set moves to a new folder whenever any file changes, and
    /// every name can be cached for a year.
    ///
    /// With `live_reload` (development, `scripts/dev.sh`) every shell also loads
    /// `live-reload.js`, which asks `/dev/build` twice a second and reloads the page when the
    /// server serves another build: a script file and a same-origin fetch, so the strict CSP
    /// stays exactly as in production.
    ///
    /// `brand`: its name is the title and the `application-name` the bundles read theirs from;
    /// its colour and logo are `brand.css` (and the logo file) beside the bundles, in the same
    /// build folder, so a new colour or logo is a new build name and no browser keeps the old.
    pub fn load(
        site_root: &Path,
        name: &str,
        brand: &Brand,
        live_reload: bool,
    ) -> std::io::Result<Self> {
        let stylesheet = brand.stylesheet();
        let brand_logo = brand.logo.clone();
        let brand = brand.name.replace('&', "&amp;");
        let pkg = site_root.join("pkg");
        let mut found: Vec<(String, Bytes, Option<Bytes>)> = Vec::new();
        for entry in std::fs::read_dir(&pkg).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "{}: {e}; build the site first (scripts/build.sh)",
                    pkg.display()
                ),
            )
        })? {
            let path = entry?.path();
            let Some(file) = path
                .file_name()
                .and_then(|f| f.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            let served = [".js", ".wasm", ".css", ".json"]
                .iter()
                .any(|e| file.ends_with(e));
            if !path.is_file() || !served || file.ends_with(".d.ts") {
                continue;
            }
            let body = Bytes::from(std::fs::read(&path)?);
            let brotli = std::fs::read(pkg.join(format!("{file}.br")))
                .ok()
                .map(Bytes::from);
            found.push((file, body, brotli));
        }
        if let Some(css) = &stylesheet {
            found.push(("brand.css".into(), Bytes::from(css.clone()), None));
        }
        if let Some(logo) = &brand_logo {
            found.push((
                logo.file_name.clone(),
                Bytes::from(logo.bytes.clone()),
                None,
            ));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        for required in [
            format!("{name}.js"),
            format!("{name}.wasm"),
            format!("{name}.css"),
            "portal.css".to_string(),
            "accept.js".to_string(),
            "accept_bg.wasm".to_string(),
            "signin.js".to_string(),
            "signin_bg.wasm".to_string(),
        ] {
            if !found.iter().any(|(f, _, _)| *f == required) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "{}/{required} is missing: build the site first (scripts/build.sh)",
                        pkg.display()
                    ),
                ));
            }
        }
        let mut hasher = Sha256::new();
        for (file, body, _) in &found {
            hasher.update(file.as_bytes());
            hasher.update((body.len() as u64).to_le_bytes());
            hasher.update(body);
        }
        let build: String = hasher
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        let boot = |module: &str, wasm: &str| {
            format!(
                "import init, {{ hydrate }} from \"./{module}\";\ninit({{ module_or_path: \"/pkg/{build}/{wasm}\" }}).then(() => hydrate());\n"
            )
        };
        let mut files = HashMap::new();
        for (file, body, brotli) in found {
            let ext = file.rsplit('.').next().unwrap_or_default().to_string();
            files.insert(
                file,
                Asset {
                    content_type: content_type(&ext),
                    body,
                    brotli,
                },
            );
        }
        // The acceptance page asks for its invitation while the wasm is still downloading; the
        // page takes the answer from `window.machtigInvitation` (see ui::pages::acceptance).
        let accept_boot = format!(
            "window.machtigInvitation = fetch(\"/api/acceptance/open\", {{ method: \"POST\", \
             headers: {{ \"Content-Type\": \"application/json\" }}, \
             body: JSON.stringify({{ token: location.pathname.split(\"/\").pop() }}) }})\
             .then((r) => r.text().then((t) => [r.status, t]));\n{}",
            boot("accept.js", "accept_bg.wasm")
        );
        for (file, body) in [
            (
                "boot.js",
                boot(&format!("{name}.js"), &format!("{name}.wasm")),
            ),
            ("accept-boot.js", accept_boot),
            ("signin-boot.js", boot("signin.js", "signin_bg.wasm")),
            ("live-reload.js", live_reload_script(&build)),
        ] {
            files.insert(
                file.to_string(),
                Asset {
                    content_type: content_type("js"),
                    body: Bytes::from(body),
                    brotli: None,
                },
            );
        }
        if !live_reload {
            files.remove("live-reload.js");
        }
        let reload = if live_reload {
            format!("<script type=\"module\" src=\"/pkg/{build}/live-reload.js\"></script>\n")
        } else {
            String::new()
        };
        let brand_css = if stylesheet.is_some() {
            format!("<link rel=\"stylesheet\" href=\"/pkg/{build}/brand.css\">\n")
        } else {
            String::new()
        };
        // The portal's own styles go in its shell only: the single pages' budgets never carry them.
        let portal_css = format!("<link rel=\"stylesheet\" href=\"/pkg/{build}/portal.css\">\n");
        let page = |title: &str, js: &str, wasm: &str, boot: &str, styles: &str| {
            format!(
            "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"color-scheme\" content=\"light\">\n\
             <meta name=\"application-name\" content=\"{brand}\">\n<title>{title}</title>\n\
             <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
             <link rel=\"stylesheet\" href=\"/pkg/{build}/{name}.css\">\n{styles}{brand_css}\
             <link rel=\"modulepreload\" href=\"/pkg/{build}/{js}\">\n\
             <link rel=\"preload\" href=\"/pkg/{build}/{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
             <script type=\"module\" src=\"/pkg/{build}/{boot}\"></script>\n{reload}</head>\n\
             <body><noscript>{brand} heeft JavaScript nodig. / {brand} needs JavaScript.</noscript></body>\n</html>\n"
        )
        };
        let shell = page(
            &brand,
            &format!("{name}.js"),
            &format!("{name}.wasm"),
            "boot.js",
            &portal_css,
        );
        let accept_shell = page(
            &format!("Uitnodiging – {brand}"),
            "accept.js",
            "accept_bg.wasm",
            "accept-boot.js",
            "",
        );
        let signin_shell = page(
            &format!("Inloggen – {brand}"),
            "signin.js",
            "signin_bg.wasm",
            "signin-boot.js",
            "",
        );
        Ok(Self {
            build,
            name: name.to_string(),
            files,
            shell: Bytes::from(shell),
            accept_shell: Bytes::from(accept_shell),
            signin_shell: Bytes::from(signin_shell),
        })
    }

    /// The stylesheet's address, for pages the server writes itself (help).
    pub fn css_href(&self) -> String {
        format!("/pkg/{}/{}.css", self.build, self.name)
    }

    /// The hash that names this build (`/dev/build` answers it for live reload).
    pub fn build(&self) -> &str {
        &self.build
    }

    pub fn shell(&self) -> Response {
        html(self.shell.clone())
    }

    pub fn accept_shell(&self) -> Response {
        html(self.accept_shell.clone())
    }

    pub fn signin_shell(&self) -> Response {
        html(self.signin_shell.clone())
    }

    /// What a browser downloads (as served, brotli where there is a `.br`) to show the page
    /// behind `shell`: every `/pkg` file the shell names, and the files the JS glue imports
    /// statically (the portal's chunk loader). Names and bytes, in the order found.
    pub fn first_download(&self, shell: Shell) -> Vec<(String, usize)> {
        let html = match shell {
            Shell::SignIn => &self.signin_shell,
            Shell::Acceptance => &self.accept_shell,
            Shell::Portal => &self.shell,
        };
        let prefix = format!("/pkg/{}/", self.build);
        let mut names: Vec<String> = Vec::new();
        let mut queue: Vec<String> = named_after(&String::from_utf8_lossy(html), &prefix);
        while let Some(name) = queue.pop() {
            if names.contains(&name) {
                continue;
            }
            if let Some(asset) = self.files.get(&name) {
                if name.ends_with(".js") {
                    let js = String::from_utf8_lossy(&asset.body);
                    queue.extend(named_after(&js, &prefix));
                    queue.extend(named_after(&js, "from\"./"));
                    queue.extend(named_after(&js, "from \"./"));
                }
            }
            names.push(name);
        }
        names.sort();
        names
            .into_iter()
            .map(|name| {
                let size = self
                    .files
                    .get(&name)
                    .map_or(0, |a| a.brotli.as_ref().map_or(a.body.len(), |br| br.len()));
                (name, size)
            })
            .collect()
    }

    pub fn file(&self, build: &str, name: &str, request_headers: &HeaderMap) -> Response {
        let Some(asset) = self.files.get(name).filter(|_| build == self.build) else {
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

/// The pages that have a shell of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    SignIn,
    Acceptance,
    Portal,
}

/// The file names that follow `prefix` in `text`, up to a quote, space or closing bracket.
fn named_after(text: &str, prefix: &str) -> Vec<String> {
    text.match_indices(prefix)
        .map(|(i, _)| {
            text[i + prefix.len()..]
                .split(['"', '\'', ' ', ')', '>'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .filter(|name| !name.is_empty() && !name.contains('/'))
        .collect()
}

/// Development's live reload: polls `/dev/build` and reloads when it names another build (the
/// server was restarted with new bundles). A failed poll (the server restarting) just waits.
fn live_reload_script(build: &str) -> String {
    format!(
        "const served = \"{build}\";\n\
         async function poll() {{\n\
         \x20 try {{\n\
         \x20   const r = await fetch(\"/dev/build\", {{ cache: \"no-store\" }});\n\
         \x20   if (r.ok && (await r.text()) !== served) {{ location.reload(); return; }}\n\
         \x20 }} catch (_) {{}}\n\
         \x20 setTimeout(poll, 500);\n\
         }}\n\
         poll();\n"
    )
}
