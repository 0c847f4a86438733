//! "Hulp bij inloggen" (`/hulp/inloggen`, in English `/help/sign-in`): what to check when signing
//! in does not work (seed 003's checklist) and how to reach the helpdesk. A page the server
//! writes itself, without a bundle: it helps also when the portal's pages cannot load (blocked
//! scripts, an old browser), and it adds nothing to the sign-in page's first download.

use crate::http::Web;
use app::server::config::Settings;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Texts {
    lang: &'static str,
    title: &'static str,
    intro: &'static str,
    checks: [&'static str; 6],
    lockout: &'static str,
    helpdesk_title: &'static str,
    helpdesk: &'static str,
    no_helpdesk: &'static str,
    back: &'static str,
    other_language: (&'static str, &'static str, &'static str),
}

const NL: Texts = Texts {
    lang: "nl",
    title: "Hulp bij inloggen",
    intro: "Lukt inloggen niet? Sluit alle vensters van uw browser, open de inlogpagina opnieuw en loop deze punten na:",
    checks: [
        "Verwijder de cookies van deze website in uw browser.",
        "Gebruik geen snelkoppeling of opgeslagen bladwijzer, maar het oorspronkelijke adres: {url}.",
        "Controleer of u het juiste betrouwbaarheidsniveau en de juiste machtiging heeft voor de dienst waar u wilt inloggen. Uw beheerder ziet dat onder Machtigingen.",
        "Controleer uw gebruikersnaam: die koos u zelf toen u de uitnodiging accepteerde.",
        "Typ uw wachtwoord zelf in; gebruik geen door de browser onthouden gegevens.",
        "Probeer een andere browser, zoals Firefox, Chrome, Edge of Safari.",
    ],
    lockout: "Na {n} verkeerde pogingen kunt u {m} minuten niet inloggen. Daarna kunt u het weer proberen.",
    helpdesk_title: "Lukt het nog steeds niet?",
    helpdesk: "Neem contact op met de helpdesk van {brand}:",
    no_helpdesk: "Neem contact op met de beheerder van uw organisatie: die kan uw gegevens en machtigingen bekijken.",
    back: "Terug naar inloggen",
    other_language: ("/help/sign-in", "en", "In English"),
};

const EN: Texts = Texts {
    lang: "en",
    title: "Help with signing in",
    intro: "Cannot sign in? Close every window of your browser, open the sign-in page again and check these points:",
    checks: [
        "Delete this website's cookies in your browser.",
        "Do not use a shortcut or a saved bookmark, but the original address: {url}.",
        "Check that you have the right assurance level and the right authorization for the service you want to sign in to. Your authorization manager sees this under Authorizations.",
        "Check your username: you chose it yourself when you accepted the invitation.",
        "Type your password yourself; do not use details your browser remembered.",
        "Try another browser, such as Firefox, Chrome, Edge or Safari.",
    ],
    lockout: "After {n} wrong attempts you cannot sign in for {m} minutes. Then you can try again.",
    helpdesk_title: "Still not working?",
    helpdesk: "Contact the {brand} helpdesk:",
    no_helpdesk: "Contact the authorization manager of your organization: they can see your details and authorizations.",
    back: "Back to signing in",
    other_language: ("/hulp/inloggen", "nl", "In het Nederlands"),
};

fn page(web: &Web, t: &Texts) -> String {
    let s: &Settings = &web.state.settings;
    let brand = &s.brand;
    let signin = format!("{}/inloggen", s.public_url);
    let checks: String = t
        .checks
        .iter()
        .map(|c| format!("<li>{}</li>\n", escape(&c.replace("{url}", &signin))))
        .collect();
    let contact: Vec<String> = [
        brand.helpdesk_phone.as_ref().map(|p| {
            format!(
                "<a href=\"tel:{}\">{}</a>",
                escape(&p.replace(' ', "")),
                escape(p)
            )
        }),
        brand
            .helpdesk_email
            .as_ref()
            .map(|e| format!("<a href=\"mailto:{0}\">{0}</a>", escape(e))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let helpdesk = if contact.is_empty() {
        format!("<p>{}</p>", t.no_helpdesk)
    } else {
        format!(
            "<p>{}</p>\n<ul>\n{}</ul>",
            escape(&t.helpdesk.replace("{brand}", &brand.name)),
            contact
                .iter()
                .map(|c| format!("<li>{c}</li>\n"))
                .collect::<String>()
        )
    };
    let (other_href, other_lang, other_label) = t.other_language;
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · {name}</title>\n\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n</head>\n<body>\n\
         <header class=\"topbar\"><span class=\"brand\">{name}</span>\
         <div class=\"tools\"><a href=\"{other_href}\" lang=\"{other_lang}\">{other_label}</a></div></header>\n\
         <main id=\"main\" class=\"narrow-main\">\n<section class=\"card\">\n\
         <h1>{title}</h1>\n<p>{intro}</p>\n<ol>\n{checks}</ol>\n<p>{lockout}</p>\n\
         <h2>{helpdesk_title}</h2>\n{helpdesk}\n<p><a href=\"/inloggen\">{back}</a></p>\n\
         </section>\n</main>\n</body>\n</html>\n",
        lang = t.lang,
        title = t.title,
        name = escape(&brand.name),
        css = web.assets.css_href(),
        intro = t.intro,
        lockout = t
            .lockout
            .replace("{n}", &s.lockout_threshold.to_string())
            .replace("{m}", &s.lockout_minutes.to_string()),
        helpdesk_title = t.helpdesk_title,
        back = t.back,
    )
}

fn html(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

pub async fn sign_in_nl(State(web): State<Web>) -> Response {
    html(page(&web, &NL))
}

pub async fn sign_in_en(State(web): State<Web>) -> Response {
    html(page(&web, &EN))
}
