//! The texts of outgoing messages, in the recipient's language. E-mails end with the brand's
//! signature, added where they are queued (`outbox::email_body`).

use crate::domain::date::Date;
use crate::server::brand;

/// The sign-in code SMS. The last line is the WebOTP/one-time-code format, so phones can offer
/// the code for autofill on our own domain only.
pub fn sms_code_text(language: &str, code: &str, public_url: &str) -> String {
    let host = host_of(public_url);
    let text = match language {
        "en" => format!("Your sign-in code for {} is {code}. It is valid for 5 minutes. Never share it.", brand::name()),
        _ => format!("Uw inlogcode voor {} is {code}. De code is 5 minuten geldig. Deel deze code met niemand.", brand::name()),
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
            format!("Your password for {} was changed", brand::name()),
            format!(
                "Dear {first_name},\n\nThe password of your {} account was just changed.\n\
                 If you did not do this, contact your authorization manager at once.\n\n\
                 Sign in: {public_url}/inloggen", brand::name()
            ),
        ),
        _ => (
            format!("Uw wachtwoord voor {} is gewijzigd", brand::name()),
            format!(
                "Beste {first_name},\n\nHet wachtwoord van uw account bij {} is zojuist gewijzigd.\n\
                 Heeft u dit niet zelf gedaan? Neem dan direct contact op met uw beheerder.\n\n\
                 Inloggen: {public_url}/inloggen", brand::name()
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
                 for you at {}. Check the details and accept the request with this personal link:\n\n\
                 {link}\n\nThe link is valid for {valid_days} days and works once. Do not forward \
                 this e-mail. Did you not expect it? Then ignore it, or ask the authorization \
                 manager of {organization}.", brand::name()
            ),
        ),
        _ => (
            format!("{organization} vraagt eHerkenning voor u aan"),
            format!(
                "Beste {first_name},\n\n{organization} heeft bij {} een eHerkenningsmiddel \
                 voor u aangevraagd. Controleer de gegevens en accepteer de aanvraag via deze \
                 persoonlijke link:\n\n{link}\n\nDe link is {valid_days} dagen geldig en werkt \
                 één keer. Stuur deze e-mail niet door. Verwachtte u dit bericht niet? Negeer het \
                 dan, of vraag het na bij de beheerder van {organization}.", brand::name()
            ),
        ),
    }
}

fn host_of(public_url: &str) -> &str {
    public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split('/')
        .next()
        .unwrap_or_default()
}

/// The SMS that confirms the mobile number during acceptance, with the one-time-code line.
pub fn acceptance_code_text(language: &str, code: &str, public_url: &str) -> String {
    let text = match language {
        "en" => format!("Your confirmation code for {} is {code}. It is valid for 5 minutes. Never share it.", brand::name()),
        _ => format!("Uw bevestigingscode voor {} is {code}. De code is 5 minuten geldig. Deel deze code met niemand.", brand::name()),
    };
    format!("{text}\n\n@{} #{code}", host_of(public_url))
}

/// To the new user: the login means is active.
pub fn issued_email(
    language: &str,
    first_name: &str,
    organization: &str,
    username: &str,
    public_url: &str,
) -> (String, String) {
    match language {
        "en" => (
            "Your eHerkenning login means is active".into(),
            format!(
                "Dear {first_name},\n\nYour eHerkenning login means for {organization} is active. \
                 Your username is {username}.\n\nSign in and see your authorizations under My account: \
                 {public_url}/inloggen"
            ),
        ),
        _ => (
            "Uw eHerkenningsmiddel is actief".into(),
            format!(
                "Beste {first_name},\n\nUw eHerkenningsmiddel voor {organization} is actief. \
                 Uw gebruikersnaam is {username}.\n\nLog in en bekijk uw machtigingen onder Mijn account: \
                 {public_url}/inloggen"
            ),
        ),
    }
}

/// To each manager of the organization (and the one who applied): what became of one user's
/// application.
pub fn manager_outcome_email(
    language: &str,
    manager_first_name: &str,
    user_name: &str,
    organization: &str,
    outcome: ManagerOutcome<'_>,
    public_url: &str,
) -> (String, String) {
    let en = language == "en";
    let (subject, what) = match (outcome, en) {
        (ManagerOutcome::Issued, false) => (
            format!("eHerkenning van {user_name} is uitgegeven"),
            format!("Het eHerkenningsmiddel van {user_name} voor {organization} is uitgegeven en actief."),
        ),
        (ManagerOutcome::Issued, true) => (
            format!("eHerkenning for {user_name} has been issued"),
            format!("The eHerkenning login means of {user_name} for {organization} has been issued and is active."),
        ),
        (ManagerOutcome::Rejected(reason), false) => (
            format!("Aanvraag voor {user_name} is afgewezen"),
            format!("De aanvraag van een eHerkenningsmiddel voor {user_name} ({organization}) is afgewezen.\nReden: {reason}"),
        ),
        (ManagerOutcome::Rejected(reason), true) => (
            format!("Application for {user_name} was rejected"),
            format!("The application of an eHerkenning login means for {user_name} ({organization}) was rejected.\nReason: {reason}"),
        ),
        (ManagerOutcome::Expired, false) => (
            format!("Aanvraag voor {user_name} is verlopen"),
            format!("De aanvraag voor {user_name} ({organization}) is verlopen: de uitnodiging of de identificatie is niet op tijd afgerond. U kunt een nieuwe aanvraag doen."),
        ),
        (ManagerOutcome::Expired, true) => (
            format!("Application for {user_name} has expired"),
            format!("The application for {user_name} ({organization}) has expired: the invitation or the identity verification was not completed in time. You can apply again."),
        ),
    };
    let body = if en {
        format!("Dear {manager_first_name},\n\n{what}\n\nSee Applications in progress: {public_url}/beheer/lopende-aanvragen")
    } else {
        format!("Beste {manager_first_name},\n\n{what}\n\nBekijk Lopende aanvragen: {public_url}/beheer/lopende-aanvragen")
    };
    (subject, body)
}

#[derive(Debug, Clone, Copy)]
pub enum ManagerOutcome<'a> {
    Issued,
    Rejected(&'a str),
    Expired,
}

/// To a not-employed user after "Bestel", and as the reminder before the deadline.
pub fn identity_verification_email(
    language: &str,
    first_name: &str,
    organization: &str,
    url: &str,
    deadline: Date,
    reminder: bool,
) -> (String, String) {
    let deadline = deadline.show(language != "en");
    match language {
        "en" => (
            if reminder { "Reminder: verify your identity for eHerkenning" } else { "Verify your identity for eHerkenning" }.into(),
            format!(
                "Dear {first_name},\n\n{}Before we issue your eHerkenning login means for {organization}, \
                 our partner verifies your identity, by app or at a home visit. Start here:\n\n{url}\n\n\
                 Please complete it before {deadline}; after that the application expires. After the \
                 verification we do a final check and let you know.",
                if reminder { "Your identity verification has not been completed yet. " } else { "" }
            ),
        ),
        _ => (
            if reminder { "Herinnering: identificeer u voor eHerkenning" } else { "Identificeer u voor eHerkenning" }.into(),
            format!(
                "Beste {first_name},\n\n{}Voordat wij uw eHerkenningsmiddel voor {organization} uitgeven, \
                 controleert onze partner uw identiteit, via de app of bij een huisbezoek. Begin hier:\n\n{url}\n\n\
                 Rond dit af vóór {deadline}; daarna vervalt de aanvraag. Na de identificatie voeren wij \
                 een laatste controle uit en laten wij het u weten.",
                if reminder { "Uw identificatie is nog niet afgerond. " } else { "" }
            ),
        ),
    }
}

/// To the user whose application was rejected in the final check or the verification.
pub fn rejected_email(language: &str, first_name: &str, organization: &str) -> (String, String) {
    match language {
        "en" => (
            "Your eHerkenning application was not approved".into(),
            format!(
                "Dear {first_name},\n\nWe could not issue the eHerkenning login means {organization} \
                 applied for you. Your authorization manager has the details."
            ),
        ),
        _ => (
            "Uw aanvraag voor eHerkenning is niet goedgekeurd".into(),
            format!(
                "Beste {first_name},\n\nWij konden het eHerkenningsmiddel dat {organization} voor u \
                 aanvroeg niet uitgeven. Uw beheerder heeft de toelichting."
            ),
        ),
    }
}

/// What an authorization is for, in words: a service, all services, or managing authorizations.
pub fn authorization_subject(language: &str, service: Option<&str>, is_admin: bool) -> String {
    match (service, is_admin, language) {
        (_, true, "en") => "managing authorizations (authorization manager)".into(),
        (_, true, _) => "het beheer van machtigingen (beheerder)".into(),
        (Some(s), false, _) => s.to_string(),
        (None, false, "en") => "all services".into(),
        (None, false, _) => "alle diensten".into(),
    }
}

/// To the user whose authorization a manager revoked.
pub fn authorization_revoked_email(
    language: &str,
    first_name: &str,
    organization: &str,
    what: &str,
    public_url: &str,
) -> (String, String) {
    match language {
        "en" => (
            format!("Your authorization for {organization} has been revoked"),
            format!(
                "Dear {first_name},\n\nAn authorization manager of {organization} has revoked your authorization for {what}.\n\
                 From now on you can no longer use it on behalf of {organization}.\n\
                 Questions? Contact an authorization manager of {organization}.\n\n\
                 Your authorizations: {public_url}/mijn-account"
            ),
        ),
        _ => (
            format!("Uw machtiging voor {organization} is ingetrokken"),
            format!(
                "Beste {first_name},\n\nEen beheerder van {organization} heeft uw machtiging voor {what} ingetrokken.\n\
                 U kunt deze vanaf nu niet meer gebruiken namens {organization}.\n\
                 Vragen? Neem contact op met een beheerder van {organization}.\n\n\
                 Uw machtigingen: {public_url}/mijn-account"
            ),
        ),
    }
}

/// To the organization's other managers: a colleague revoked an authorization.
pub fn authorization_revoked_manager_email(
    language: &str,
    manager_first_name: &str,
    user_name: &str,
    organization: &str,
    what: &str,
    public_url: &str,
) -> (String, String) {
    match language {
        "en" => (
            format!("Authorization of {user_name} revoked"),
            format!(
                "Dear {manager_first_name},\n\nThe authorization of {user_name} for {what} on behalf of {organization} \
                 has been revoked by another authorization manager.\n\n\
                 See Authorizations: {public_url}/beheer/machtigingen"
            ),
        ),
        _ => (
            format!("Machtiging van {user_name} ingetrokken"),
            format!(
                "Beste {manager_first_name},\n\nDe machtiging van {user_name} voor {what} namens {organization} \
                 is ingetrokken door een andere beheerder.\n\n\
                 Bekijk Machtigingen: {public_url}/beheer/machtigingen"
            ),
        ),
    }
}

/// To a user who was made authorization manager of an organization.
pub fn manager_appointed_email(
    language: &str,
    first_name: &str,
    organization: &str,
    until: Date,
    public_url: &str,
) -> (String, String) {
    let until = until.show(language != "en");
    match language {
        "en" => (
            format!("You now manage authorizations for {organization}"),
            format!(
                "Dear {first_name},\n\nYou have been appointed authorization manager of {organization}, until {until} \
                 (together with your authorization to log in). You can now add users and request, renew and revoke \
                 authorizations on behalf of {organization}.\n\n\
                 Sign in: {public_url}/inloggen"
            ),
        ),
        _ => (
            format!("U bent beheerder van {organization}"),
            format!(
                "Beste {first_name},\n\nU bent benoemd tot beheerder van {organization}, tot {until} \
                 (samen met uw machtiging om in te loggen). U kunt nu namens {organization} gebruikers toevoegen \
                 en machtigingen aanvragen, verlengen en intrekken.\n\n\
                 Inloggen: {public_url}/inloggen"
            ),
        ),
    }
}

/// To an existing user: a manager asks to link them to an organization.
pub fn link_request_email(
    language: &str,
    first_name: &str,
    manager: &str,
    organization: &str,
    public_url: &str,
) -> (String, String) {
    match language {
        "en" => (
            format!("{organization} asks to link your eHerkenning"),
            format!(
                "Dear {first_name},\n\n{manager}, authorization manager of {organization}, asks to link your eHerkenning \
                 login means to {organization}. Once you accept, the manager can give you authorizations on behalf of \
                 {organization}.\n\nSign in and accept or decline under My account: {public_url}/mijn-account\n\n\
                 Did you not expect this? Decline it, or ignore this e-mail: nothing changes without your answer."
            ),
        ),
        _ => (
            format!("{organization} vraagt uw eHerkenning te koppelen"),
            format!(
                "Beste {first_name},\n\n{manager}, beheerder van {organization}, vraagt uw eHerkenningsmiddel te koppelen \
                 aan {organization}. Als u accepteert, kan de beheerder u machtigingen geven namens {organization}.\n\n\
                 Log in en accepteer of weiger onder Mijn account: {public_url}/mijn-account\n\n\
                 Verwachtte u dit niet? Weiger het verzoek, of negeer deze e-mail: zonder uw antwoord verandert er niets."
            ),
        ),
    }
}

/// To the manager who asked: the user accepted or declined the link request.
pub fn link_answered_email(
    language: &str,
    manager_first_name: &str,
    user_name: &str,
    organization: &str,
    accepted: bool,
    resume_url: &str,
) -> (String, String) {
    match (language, accepted) {
        ("en", true) => (
            format!("{user_name} accepted the link to {organization}"),
            format!(
                "Dear {manager_first_name},\n\n{user_name} accepted your link request and is now a user of {organization}. \
                 You can now request authorizations for them: {resume_url}"
            ),
        ),
        ("en", false) => (
            format!("{user_name} declined the link to {organization}"),
            format!("Dear {manager_first_name},\n\n{user_name} declined your link request for {organization}."),
        ),
        (_, true) => (
            format!("{user_name} heeft de koppeling met {organization} geaccepteerd"),
            format!(
                "Beste {manager_first_name},\n\n{user_name} heeft uw koppelverzoek geaccepteerd en is nu gebruiker van \
                 {organization}. U kunt nu machtigingen voor deze gebruiker aanvragen: {resume_url}"
            ),
        ),
        (_, false) => (
            format!("{user_name} heeft de koppeling met {organization} geweigerd"),
            format!("Beste {manager_first_name},\n\n{user_name} heeft uw koppelverzoek voor {organization} geweigerd."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_sms_ends_with_the_one_time_code_line_for_our_host() {
        let text = sms_code_text("nl", "123456", "https://portaal.example.nl");
        assert!(text.contains("inlogcode voor Mijn Machtig is 123456"));
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
