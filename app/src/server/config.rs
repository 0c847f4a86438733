//! One typed settings struct, read from the environment. Every key is documented in
//! `.env.example`; secrets are wrapped so they never show up in logs or debug output.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    StartTls,
    Tls,
    None,
}

#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub security: SmtpSecurity,
}

#[derive(Debug, Clone)]
pub struct SmsGatewaySettings {
    pub url: String,
    pub access_key: Secret,
    pub originator: String,
}

#[derive(Debug, Clone)]
pub struct KvkApiSettings {
    pub url: String,
    pub api_key: Secret,
}

#[derive(Debug, Clone)]
pub struct IdvApiSettings {
    pub url: String,
    pub api_key: Secret,
}

/// The database pool's default size: four connections per core, at least 8. More connections
/// than that do not make PostgreSQL answer sooner, only share the cores among more statements at
/// once: at 16 concurrent requests on 2 cores a pool of 32 gave the Machtigingen page a p99 of
/// 128 ms, a pool of 8 one of 45 ms at higher throughput (docs/benchmarks.md). Requests beyond
/// the pool wait in line for a connection (at most `ACQUIRE_TIMEOUT`).
pub fn default_db_max_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    (4 * cores).max(8)
}

/// The secret that signs the identity-verification partner's webhook events. Development
/// uses a fixed, published one (production refuses to start without its own).
pub const DEVELOPMENT_WEBHOOK_SECRET: &str = "development-only-webhook-secret";

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub public_url: String,
    pub environment: Environment,
    pub database_url: Option<Secret>,
    pub data_dir: PathBuf,
    pub site_root: PathBuf,
    pub demo_data: bool,
    pub mail_from: String,
    pub smtp: Option<SmtpSettings>,
    pub sms_gateway: Option<SmsGatewaySettings>,
    /// The KvK register's API; without it our own organizations table stands in (development).
    pub kvk_api: Option<KvkApiSettings>,
    /// The identity-verification partner; without it the development simulator stands in.
    pub idv_api: Option<IdvApiSettings>,
    pub idv_webhook_secret: Secret,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    pub lockout_threshold: u32,
    pub lockout_minutes: i64,
    pub ip_lockout_threshold: u32,
    /// SMS codes sent to one account within the lockout window before sending stops.
    pub sms_code_limit: u32,
    /// The reverse proxies whose `X-Forwarded-For` names the client (none: no proxy).
    pub trusted_proxies: Vec<super::client_address::AddressRange>,
    pub outbox_workers: bool,
    /// The most database connections this process holds at once (`MACHTIG_DB_MAX_CONNECTIONS`).
    pub db_max_connections: u32,
    /// The broker's brand: the portal's name and helpdesk in pages, e-mails and SMS.
    pub brand: super::brand::Brand,
    /// `/metrics` on the portal's address for requests with `Authorization: Bearer <token>`.
    pub metrics_token: Option<Secret>,
    /// `/metrics` on a separate address of its own (e.g. 127.0.0.1:9100), without a token.
    pub metrics_listen: Option<SocketAddr>,
    /// Development only (`scripts/dev.sh`): open pages reload themselves when the server
    /// serves another build.
    pub live_reload: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {key}: {problem}")]
pub struct ConfigError {
    pub key: &'static str,
    pub problem: String,
}

/// Where settings come from: the process environment in the server, a table in tests.
type Source<'a> = &'a dyn Fn(&str) -> Option<String>;

fn var(source: Source<'_>, key: &str) -> Option<String> {
    source(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn parsed<T: std::str::FromStr>(
    source: Source<'_>,
    key: &'static str,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    match var(source, key) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|e: T::Err| ConfigError {
            key,
            problem: e.to_string(),
        }),
    }
}

fn flag(source: Source<'_>, key: &'static str, default: bool) -> Result<bool, ConfigError> {
    match var(source, key)
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError {
            key,
            problem: format!("expected true or false, got {other}"),
        }),
    }
}

/// Whether `url`'s host is this machine only (`localhost`, `127.x`, `[::1]`).
fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_source(&|key| std::env::var(key).ok())
    }

    /// The settings from `source` (a key's value, if set): the environment, or a test's table.
    pub fn from_source(source: Source<'_>) -> Result<Self, ConfigError> {
        let var = |key: &str| var(source, key);
        let flag = |key, default| flag(source, key, default);
        let listen: SocketAddr = parsed(
            source,
            "MACHTIG_LISTEN",
            "127.0.0.1:3000".parse().expect("valid"),
        )?;
        let public_url = var("MACHTIG_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string();
        let environment = match var("MACHTIG_ENV").as_deref() {
            Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            // Development has demo accounts with published passwords and a mailbox page that
            // shows every code: only by default where nobody else can reach it.
            None if listen.ip().is_loopback() && is_loopback_url(&public_url) => {
                Environment::Development
            }
            None => {
                return Err(ConfigError {
                    key: "MACHTIG_ENV",
                    problem: format!(
                        "not set, and the server would be reachable from other machines \
                         ({listen}, {public_url}): development mode (demo accounts with \
                         published passwords, a mailbox page with every code) is only the \
                         default on loopback. Set MACHTIG_ENV=production, or \
                         MACHTIG_ENV=development if you really mean it"
                    ),
                })
            }
            Some(other) => {
                return Err(ConfigError {
                    key: "MACHTIG_ENV",
                    problem: format!("expected development or production, got {other}"),
                })
            }
        };
        let brand = super::brand::Brand {
            name: var("MACHTIG_BRAND_NAME").unwrap_or_else(|| super::brand::DEFAULT_NAME.into()),
            helpdesk_phone: var("MACHTIG_HELPDESK_PHONE"),
            helpdesk_email: var("MACHTIG_HELPDESK_EMAIL"),
            color: match var("MACHTIG_BRAND_COLOR") {
                None => None,
                Some(v) => {
                    let c = super::brand::Color::parse(&v).ok_or_else(|| ConfigError {
                        key: "MACHTIG_BRAND_COLOR",
                        problem: format!("expected a colour as #rrggbb, got {v}"),
                    })?;
                    let contrast = c.contrast_with_white();
                    if contrast < super::brand::MIN_CONTRAST_WITH_WHITE {
                        return Err(ConfigError {
                            key: "MACHTIG_BRAND_COLOR",
                            problem: format!(
                                "{v} is too light for the white text on it (contrast {contrast:.1}:1, at least {}:1 needed); choose a darker shade",
                                super::brand::MIN_CONTRAST_WITH_WHITE
                            ),
                        });
                    }
                    Some(c)
                }
            },
            logo: match var("MACHTIG_BRAND_LOGO") {
                None => None,
                Some(path) => Some(
                    super::brand::Logo::read(std::path::Path::new(&path)).map_err(|problem| {
                        ConfigError {
                            key: "MACHTIG_BRAND_LOGO",
                            problem,
                        }
                    })?,
                ),
            },
        };
        if brand.name.chars().count() > 40 || brand.name.contains(['<', '>', '"', '\n']) {
            return Err(ConfigError {
                key: "MACHTIG_BRAND_NAME",
                problem: "at most 40 characters, without < > \" or a line break".into(),
            });
        }
        let smtp = match var("SMTP_HOST") {
            None => None,
            Some(host) => Some(SmtpSettings {
                host,
                port: parsed(source, "SMTP_PORT", 587)?,
                username: var("SMTP_USERNAME"),
                password: var("SMTP_PASSWORD").map(Secret),
                security: match var("SMTP_SECURITY").as_deref() {
                    None | Some("starttls") => SmtpSecurity::StartTls,
                    Some("tls") => SmtpSecurity::Tls,
                    Some("none") => SmtpSecurity::None,
                    Some(other) => {
                        return Err(ConfigError {
                            key: "SMTP_SECURITY",
                            problem: format!("expected starttls, tls or none, got {other}"),
                        })
                    }
                },
            }),
        };
        let sms_gateway = match (var("SMS_GATEWAY_URL"), var("SMS_GATEWAY_ACCESS_KEY")) {
            (Some(url), Some(key)) => Some(SmsGatewaySettings {
                url,
                access_key: Secret(key),
                originator: var("SMS_ORIGINATOR").unwrap_or_else(|| brand.originator()),
            }),
            (None, None) => None,
            _ => {
                return Err(ConfigError {
                    key: "SMS_GATEWAY_URL",
                    problem: "set both SMS_GATEWAY_URL and SMS_GATEWAY_ACCESS_KEY, or neither"
                        .into(),
                })
            }
        };
        let kvk_api = match (var("KVK_API_URL"), var("KVK_API_KEY")) {
            (Some(url), Some(key)) => Some(KvkApiSettings {
                url,
                api_key: Secret(key),
            }),
            (None, None) => None,
            _ => {
                return Err(ConfigError {
                    key: "KVK_API_URL",
                    problem: "set both KVK_API_URL and KVK_API_KEY, or neither".into(),
                })
            }
        };
        let idv_api = match (var("IDV_API_URL"), var("IDV_API_KEY")) {
            (Some(url), Some(key)) => Some(IdvApiSettings {
                url,
                api_key: Secret(key),
            }),
            (None, None) => None,
            _ => {
                return Err(ConfigError {
                    key: "IDV_API_URL",
                    problem: "set both IDV_API_URL and IDV_API_KEY, or neither".into(),
                })
            }
        };
        let development = environment == Environment::Development;
        if !development
            && (smtp.is_none() || sms_gateway.is_none() || kvk_api.is_none() || idv_api.is_none())
        {
            return Err(ConfigError {
                key: "MACHTIG_ENV",
                problem: "production needs SMTP_HOST, SMS_GATEWAY_URL, KVK_API_URL and IDV_API_URL: e-mails and codes must really go out, organizations must come from the register, identities must be verified by the partner".into(),
            });
        }
        let idv_webhook_secret =
            match var("IDV_WEBHOOK_SECRET") {
                Some(s) if s.len() >= 32 => Secret(s),
                Some(_) => {
                    return Err(ConfigError {
                        key: "IDV_WEBHOOK_SECRET",
                        problem: "use at least 32 characters".into(),
                    })
                }
                None if development => Secret(DEVELOPMENT_WEBHOOK_SECRET.into()),
                None => return Err(ConfigError {
                    key: "IDV_WEBHOOK_SECRET",
                    problem:
                        "production needs the secret shared with the identity-verification partner"
                            .into(),
                }),
            };
        let demo_data = flag("MACHTIG_DEMO_DATA", development)?;
        if demo_data && !development {
            return Err(ConfigError {
                key: "MACHTIG_DEMO_DATA",
                problem: "demo accounts have published passwords: never in production".into(),
            });
        }
        Ok(Self {
            listen,
            public_url,
            environment,
            database_url: var("DATABASE_URL").map(Secret),
            data_dir: var("MACHTIG_DATA_DIR")
                .unwrap_or_else(|| "data".into())
                .into(),
            site_root: var("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into())
                .into(),
            demo_data,
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| format!("{} <noreply@machtig.localhost>", brand.name)),
            smtp,
            sms_gateway,
            kvk_api,
            idv_api,
            idv_webhook_secret,
            session_idle_minutes: parsed(source, "MACHTIG_SESSION_IDLE_MINUTES", 30)?,
            session_max_hours: parsed(source, "MACHTIG_SESSION_MAX_HOURS", 12)?,
            lockout_threshold: parsed(source, "MACHTIG_LOCKOUT_THRESHOLD", 5)?,
            lockout_minutes: parsed(source, "MACHTIG_LOCKOUT_MINUTES", 15)?,
            ip_lockout_threshold: parsed(source, "MACHTIG_IP_LOCKOUT_THRESHOLD", 50)?,
            sms_code_limit: parsed(source, "MACHTIG_SMS_CODE_LIMIT", 5)?,
            trusted_proxies: var("MACHTIG_TRUSTED_PROXIES")
                .unwrap_or_default()
                .split(',')
                .filter(|r| !r.trim().is_empty())
                .map(super::client_address::AddressRange::parse)
                .collect::<Result<_, _>>()
                .map_err(|problem| ConfigError {
                    key: "MACHTIG_TRUSTED_PROXIES",
                    problem,
                })?,
            outbox_workers: flag("MACHTIG_WORKERS", true)?,
            db_max_connections: match parsed(
                source,
                "MACHTIG_DB_MAX_CONNECTIONS",
                default_db_max_connections(),
            )? {
                n @ 4..=1000 => n,
                _ => {
                    return Err(ConfigError {
                        key: "MACHTIG_DB_MAX_CONNECTIONS",
                        problem: "use a number from 4 to 1000".into(),
                    })
                }
            },
            brand: brand.clone(),
            metrics_token: match var("MACHTIG_METRICS_TOKEN") {
                Some(t) if t.len() >= 16 => Some(Secret(t)),
                Some(_) => {
                    return Err(ConfigError {
                        key: "MACHTIG_METRICS_TOKEN",
                        problem: "use at least 16 characters".into(),
                    })
                }
                None => None,
            },
            live_reload: match flag("MACHTIG_LIVE_RELOAD", false)? {
                true if !development => {
                    return Err(ConfigError {
                        key: "MACHTIG_LIVE_RELOAD",
                        problem: "live reload is for development only".into(),
                    })
                }
                on => on,
            },
            metrics_listen: match var("MACHTIG_METRICS_LISTEN") {
                Some(a) => Some(
                    a.parse()
                        .map_err(|e: std::net::AddrParseError| ConfigError {
                            key: "MACHTIG_METRICS_LISTEN",
                            problem: e.to_string(),
                        })?,
                ),
                None => None,
            },
        })
    }

    pub fn is_development(&self) -> bool {
        self.environment == Environment::Development
    }

    /// Settings for tests: development, no SMTP or SMS gateway, default limits.
    pub fn for_tests() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("valid"),
            public_url: "http://127.0.0.1:3000".into(),
            environment: Environment::Development,
            database_url: None,
            data_dir: "data".into(),
            site_root: "target/site".into(),
            demo_data: false,
            mail_from: "Machtig <noreply@machtig.localhost>".into(),
            smtp: None,
            sms_gateway: None,
            kvk_api: None,
            idv_api: None,
            idv_webhook_secret: Secret(DEVELOPMENT_WEBHOOK_SECRET.into()),
            session_idle_minutes: 30,
            session_max_hours: 12,
            lockout_threshold: 5,
            lockout_minutes: 15,
            ip_lockout_threshold: 50,
            sms_code_limit: 5,
            trusted_proxies: Vec::new(),
            outbox_workers: false,
            db_max_connections: default_db_max_connections(),
            brand: super::brand::Brand::default(),
            metrics_token: None,
            metrics_listen: None,
            live_reload: false,
        }
    }

    pub fn account_throttle(&self) -> crate::domain::throttle::ThrottleRule {
        let minutes = chrono::Duration::minutes(self.lockout_minutes);
        crate::domain::throttle::ThrottleRule {
            threshold: self.lockout_threshold,
            window: minutes,
            lock: minutes,
        }
    }

    /// Codes sent to one account: `sms_code_limit` within the lockout window, then none until
    /// the lock has passed (no SMS bombing with a known password).
    pub fn sms_throttle(&self) -> crate::domain::throttle::ThrottleRule {
        crate::domain::throttle::ThrottleRule {
            threshold: self.sms_code_limit,
            ..self.account_throttle()
        }
    }

    pub fn address_throttle(&self) -> crate::domain::throttle::ThrottleRule {
        crate::domain::throttle::ThrottleRule {
            threshold: self.ip_lockout_threshold,
            ..self.account_throttle()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_the_server_reads_is_documented_in_the_env_example() {
        let documented = include_str!("../../../.env.example");
        let asked = std::cell::RefCell::new(std::collections::BTreeSet::new());
        // Once with nothing set, once with every optional service set, so the keys read only
        // then (SMTP_PORT after SMTP_HOST, ...) are asked for too.
        for set in [
            &[][..],
            &["SMTP_HOST", "SMS_GATEWAY_URL", "SMS_GATEWAY_ACCESS_KEY"][..],
        ] {
            let _ = Settings::from_source(&|key| {
                asked.borrow_mut().insert(key.to_string());
                set.contains(&key).then(|| "x".to_string())
            });
        }
        let asked = asked.into_inner();
        assert!(asked.len() > 25, "{asked:?}");
        for key in asked {
            assert!(
                documented.contains(&format!("{key}=")),
                "{key} is read but not in .env.example"
            );
        }
    }

    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let table: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_source(&|key| table.get(key).cloned())
    }

    const PRODUCTION: &[(&str, &str)] = &[
        ("MACHTIG_ENV", "production"),
        ("SMTP_HOST", "smtp.example.nl"),
        ("SMS_GATEWAY_URL", "https://sms.example.nl"),
        ("SMS_GATEWAY_ACCESS_KEY", "key"),
        ("KVK_API_URL", "https://kvk.example.nl"),
        ("KVK_API_KEY", "key"),
        ("IDV_API_URL", "https://idv.example.nl"),
        ("IDV_API_KEY", "key"),
        ("IDV_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef"),
    ];

    #[test]
    fn the_database_pool_is_four_connections_per_core_unless_set_within_its_bounds() {
        let default = from(&[]).unwrap().db_max_connections;
        assert!(default >= 8 && default.is_multiple_of(4), "{default}");
        let pool =
            |n: &str| from(&[("MACHTIG_DB_MAX_CONNECTIONS", n)]).map(|s| s.db_max_connections);
        assert_eq!(pool("12").unwrap(), 12);
        for refused in ["3", "1001", "many", "-1"] {
            assert_eq!(pool(refused).unwrap_err().key, "MACHTIG_DB_MAX_CONNECTIONS");
        }
    }

    #[test]
    fn production_starts_with_every_outside_service_configured_and_no_demo_data() {
        let settings = from(PRODUCTION).unwrap();
        assert!(!settings.is_development());
        assert!(!settings.demo_data);
    }

    #[test]
    fn production_refuses_to_start_without_any_one_of_its_settings() {
        for missing in PRODUCTION.iter().skip(1) {
            let without: Vec<_> = PRODUCTION
                .iter()
                .filter(|(k, _)| k != &missing.0)
                .copied()
                .collect();
            assert!(from(&without).is_err(), "started without {}", missing.0);
        }
        let short_secret: Vec<_> = PRODUCTION
            .iter()
            .map(|&(k, v)| {
                (
                    k,
                    if k == "IDV_WEBHOOK_SECRET" {
                        "too-short"
                    } else {
                        v
                    },
                )
            })
            .collect();
        assert_eq!(from(&short_secret).unwrap_err().key, "IDV_WEBHOOK_SECRET");
        let with_demo: Vec<_> = PRODUCTION
            .iter()
            .copied()
            .chain([("MACHTIG_DEMO_DATA", "true")])
            .collect();
        assert_eq!(from(&with_demo).unwrap_err().key, "MACHTIG_DEMO_DATA");
    }

    #[test]
    fn development_needs_no_outside_services_and_loads_demo_data() {
        let settings = from(&[]).unwrap();
        assert!(settings.is_development());
        assert!(settings.demo_data);
        assert_eq!(settings.public_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn development_is_the_default_only_where_nobody_else_can_reach_it() {
        for (listen, url) in [
            ("127.0.0.1:3000", "http://127.0.0.1:3000"),
            ("[::1]:3000", "http://[::1]:3000"),
            ("127.0.0.1:8080", "http://localhost:8080/"),
        ] {
            let settings = from(&[("MACHTIG_LISTEN", listen), ("MACHTIG_PUBLIC_URL", url)]);
            assert!(settings.unwrap().is_development(), "{listen} {url}");
        }
        for (listen, url) in [
            ("0.0.0.0:3000", "http://127.0.0.1:3000"),
            ("127.0.0.1:3000", "https://machtig.example.nl"),
            ("127.0.0.1:3000", "http://localhost.example.nl"),
            ("[::]:3000", "http://[::1]:3000"),
        ] {
            let refused = from(&[("MACHTIG_LISTEN", listen), ("MACHTIG_PUBLIC_URL", url)]);
            let error = refused.unwrap_err();
            assert_eq!(error.key, "MACHTIG_ENV", "{listen} {url}");
            assert!(
                error.problem.contains("MACHTIG_ENV=production"),
                "{}",
                error.problem
            );
        }
        // Asked for explicitly, development runs anywhere.
        let explicit = from(&[
            ("MACHTIG_ENV", "development"),
            ("MACHTIG_LISTEN", "0.0.0.0:3000"),
        ]);
        assert!(explicit.unwrap().is_development());
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses_and_ranges() {
        let settings = from(&[("MACHTIG_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,fd00::/8")]);
        assert_eq!(settings.unwrap().trusted_proxies.len(), 3);
        let bad = from(&[("MACHTIG_TRUSTED_PROXIES", "10.0.0.0/8, de-proxy")]);
        assert_eq!(bad.unwrap_err().key, "MACHTIG_TRUSTED_PROXIES");
    }

    #[test]
    fn a_malformed_value_names_its_key() {
        assert_eq!(
            from(&[("MACHTIG_ENV", "staging")]).unwrap_err().key,
            "MACHTIG_ENV"
        );
        assert_eq!(
            from(&[("MACHTIG_LOCKOUT_THRESHOLD", "vijf")])
                .unwrap_err()
                .key,
            "MACHTIG_LOCKOUT_THRESHOLD"
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let settings = from(PRODUCTION).unwrap();
        let shown = format!("{settings:?}");
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
    }
}
