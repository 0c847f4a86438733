//! The HTML part of an e-mail, made from its plain text (the text is what we write and test;
//! the HTML only presents it): paragraphs, links that can be clicked, and a link on a line of
//! its own (or after "Inloggen:" and the like) as a button. Simple markup with inline styles
//! and no images or scripts, as mail clients from Outlook to Gmail on a phone show it.

/// The brand's colour of buttons (the portal's `--brand`).
const BUTTON: &str = "display:inline-block;padding:12px 20px;background:#0b4f8a;color:#ffffff;\
                      text-decoration:none;border-radius:6px;font-weight:600";

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.contains(char::is_whitespace)
        && s.len() > 8
}

fn button(url: &str, label: &str) -> String {
    format!(
        "<p style=\"margin:20px 0\"><a href=\"{}\" style=\"{BUTTON}\">{}</a></p>",
        escape(url),
        escape(label)
    )
}

/// A line of text with every URL in it a link (a URL ends at white space; a period or comma
/// right after it is not part of it).
fn linkify(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let trimmed = word.trim_end_matches(['.', ',', ')', ';']);
        if is_url(trimmed) {
            out.push_str(&format!(
                "<a href=\"{0}\" style=\"color:#0b4f8a\">{0}</a>{1}",
                escape(trimmed),
                escape(&word[trimmed.len()..])
            ));
        } else {
            out.push_str(&escape(word));
        }
    }
    out
}

/// The HTML document for an e-mail with `subject` and plain-text `body`. Dutch unless the
/// body greets in English ("Dear ..."), for the one label of its own (a bare link's button).
pub fn render(subject: &str, body: &str) -> String {
    let english = body.starts_with("Dear ");
    let paragraphs: Vec<&str> = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let mut html = String::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let paragraph = paragraph.trim();
        if is_url(paragraph) {
            let label = if english {
                "Open the link"
            } else {
                "Open de link"
            };
            html.push_str(&button(paragraph, label));
            continue;
        }
        let mut lines = Vec::new();
        for line in paragraph.lines() {
            match line.rsplit_once(": ") {
                Some((label, url)) if is_url(url.trim()) && label.chars().count() <= 40 => {
                    if !lines.is_empty() {
                        html.push_str(&format!("<p>{}</p>", lines.join("<br>")));
                        lines.clear();
                    }
                    html.push_str(&button(url.trim(), label));
                }
                _ => lines.push(linkify(line)),
            }
        }
        if !lines.is_empty() {
            // The last paragraph is the signature: the brand and its helpdesk, set apart.
            let style = if i + 1 == paragraphs.len() {
                " style=\"color:#4a5868;font-size:14px;border-top:1px solid #cfd8e3;padding-top:12px\""
            } else {
                ""
            };
            html.push_str(&format!("<p{style}>{}</p>", lines.join("<br>")));
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n</head>\n\
         <body style=\"margin:0;padding:0;background:#f4f6f9\">\n\
         <div style=\"max-width:600px;margin:0 auto;padding:24px;background:#ffffff;\
         font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:16px;\
         line-height:1.5;color:#1d2733\">\n{html}\n</div>\n</body>\n</html>\n",
        if english { "en" } else { "nl" },
        escape(subject)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_buttons_text_is_escaped_and_the_signature_is_set_apart() {
        let body = "Beste Eva,\n\nDe <b>aanvraag</b> van Bakkerij & Zn is klaar.\n\n\
                    https://mijn.example/uitnodiging/abc\n\n\
                    Inloggen: https://mijn.example/inloggen\nZie ook https://mijn.example/hulp.\n\n\
                    Mijn Machtig\nHelpdesk: 020 123 4567";
        let html = render("Uw <aanvraag>", body);
        assert!(html.contains("<title>Uw &lt;aanvraag&gt;</title>"));
        assert!(html.contains("De &lt;b&gt;aanvraag&lt;/b&gt; van Bakkerij &amp; Zn"));
        assert!(html.contains("href=\"https://mijn.example/uitnodiging/abc\""));
        assert!(html.contains(">Open de link</a>"));
        assert!(html.contains(">Inloggen</a>"));
        assert!(html.contains("<a href=\"https://mijn.example/hulp\" style=\"color:#0b4f8a\">https://mijn.example/hulp</a>."));
        assert!(html.contains("border-top:1px solid #cfd8e3;padding-top:12px\">Mijn Machtig<br>Helpdesk: 020 123 4567</p>"));
        assert!(!html.contains("<b>"));
        assert!(render("x", "Dear Eva,\n\nhttps://a.example/x").contains("Open the link"));
    }
}
