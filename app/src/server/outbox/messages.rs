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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_sms_ends_with_the_one_time_code_line_for_our_host() {
        let text = sms_code_text("nl", "123456", "https://portaal.example.nl");
        assert!(text.contains("inlogcode is 123456"));
        assert!(text.ends_with("@portaal.example.nl #123456"));
    }
}
