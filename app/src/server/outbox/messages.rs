//! The texts of outgoing messages, in the recipient's language.

/// The sign-in code SMS. The last line is the WebOTP/one-time-code format, so phones can offer
/// the code for autofill on our own domain only.
pub fn sms_code_text(language: &str, code: &str, public_url: &str) -> String {
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split('/')
        .next()
        .unwrap_or_default();
    let text = match language {
        "en" => format!("Your Machtig sign-in code is {code}. It is valid for 5 minutes. Never share it."),
        _ => format!("Uw Machtig inlogcode is {code}. De code is 5 minuten geldig. Deel deze code met niemand."),
    };
    format!("{text}\n\n@{host} #{code}")
}

pub fn password_changed_email(
    language: &str,
    first_name: &str,
    public_url: &str,
) -> (String, String) {
    match language {
        "en" => (
            "Your Machtig password was changed".into(),
            format!(
                "Dear {first_name},\n\nThe password of your Machtig account was just changed.\n\
                 If you did not do this, contact your authorization manager at once.\n\n\
                 Sign in: {public_url}/inloggen\n\nMachtig"
            ),
        ),
        _ => (
            "Uw Machtig-wachtwoord is gewijzigd".into(),
            format!(
                "Beste {first_name},\n\nHet wachtwoord van uw Machtig-account is zojuist gewijzigd.\n\
                 Heeft u dit niet zelf gedaan? Neem dan direct contact op met uw beheerder.\n\n\
                 Inloggen: {public_url}/inloggen\n\nMachtig"
            ),
        ),
    }
}

/// The invitation to accept an application, with the personal link.
pub fn invitation_email(
    language: &str,
    first_name: &str,
    organization: &str,
    link: &str,
    valid_days: i64,
) -> (String, String) {
    match language {
        "en" => (
            format!("{organization} requests eHerkenning for you"),
            format!(
                "Dear {first_name},\n\n{organization} has requested an eHerkenning login means \
                 for you at Machtig. Check the details and accept the request with this personal link:\n\n\
                 {link}\n\nThe link is valid for {valid_days} days and works once. Do not forward \
                 this e-mail. Did you not expect it? Then ignore it, or ask the authorization \
                 manager of {organization}.\n\nMachtig"
            ),
        ),
        _ => (
            format!("{organization} vraagt eHerkenning voor u aan"),
            format!(
                "Beste {first_name},\n\n{organization} heeft bij Machtig een eHerkenningsmiddel \
                 voor u aangevraagd. Controleer de gegevens en accepteer de aanvraag via deze \
                 persoonlijke link:\n\n{link}\n\nDe link is {valid_days} dagen geldig en werkt \
                 één keer. Stuur deze e-mail niet door. Verwachtte u dit bericht niet? Negeer het \
                 dan, of vraag het na bij de beheerder van {organization}.\n\nMachtig"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_sms_ends_with_the_one_time_code_line_for_our_host() {
        let text = sms_code_text("nl", "123456", "https://portaal.example.nl");
        assert!(text.contains("inlogcode is 123456"));
        assert!(text.ends_with("@portaal.example.nl #123456"));
    }

    #[test]
    fn the_invitation_carries_the_link_in_the_users_language() {
        let (subject, body) = invitation_email(
            "en",
            "Sanne",
            "Bakkerij",
            "https://x.nl/uitnodiging/abc",
            30,
        );
        assert_eq!(subject, "Bakkerij requests eHerkenning for you");
        assert!(body.contains("https://x.nl/uitnodiging/abc") && body.contains("30 days"));
        let (subject, _) = invitation_email("nl", "Sanne", "Bakkerij", "l", 30);
        assert!(subject.contains("vraagt eHerkenning"));
    }
}
