//! Every text of the portal in Dutch and English.

use super::i18n::Lang;
use crate::api::ApiError;
use crate::domain::password::Rule;

macro_rules! messages {
    ($($key:ident => $nl:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),* }
        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Nl) => $nl, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    Brand => "Mijn Machtig", "Mijn Machtig";
    MainNav => "Hoofdmenu", "Main menu";
    Beheer => "Beheer", "Management";
    Users => "Gebruikers", "Users";
    MyAccount => "Mijn account", "My account";
    SignOut => "Uitloggen", "Sign out";
    Language => "Taal", "Language";
    Loading => "Bezig met laden…", "Loading…";
    SignInTitle => "Inloggen", "Sign in";
    SignInIntro => "Log in met uw eHerkenningsmiddel om uw organisaties, gebruikers en machtigingen te beheren.", "Sign in with your eHerkenning means to manage your organizations, users and authorizations.";
    Username => "Gebruikersnaam", "Username";
    Password => "Wachtwoord", "Password";
    SignInButton => "Inloggen", "Sign in";
    CodeTitle => "Sms-code invoeren", "Enter SMS code";
    CodeSentTo => "We hebben een code van 6 cijfers gestuurd naar {n}. De code is 5 minuten geldig.", "We sent a 6-digit code to {n}. The code is valid for 5 minutes.";
    Code => "Sms-code", "SMS code";
    Confirm => "Bevestigen", "Confirm";
    StartOver => "Opnieuw beginnen", "Start over";
    Required => "Vul dit veld in.", "Please fill in this field.";
    UsersIntro => "De gebruikers van de organisaties die u beheert.", "The users of the organizations you manage.";
    Search => "Zoeken", "Search";
    SearchHint => "Naam, e-mailadres of gebruikersnaam", "Name, e-mail address or username";
    Name => "Naam", "Name";
    Email => "E-mailadres", "E-mail address";
    Mobile => "Mobiel nummer", "Mobile number";
    Level => "Betrouwbaarheidsniveau", "Assurance level";
    Organizations => "Organisaties", "Organizations";
    NotYetChosen => "nog niet gekozen", "not chosen yet";
    NoUsersFound => "Geen gebruikers gevonden.", "No users found.";
    Previous => "Vorige", "Previous";
    Next => "Volgende", "Next";
    PageN => "Pagina {n}", "Page {n}";
    UsersTable => "Gebruikers", "Users";
    MyDetails => "Mijn gegevens", "My details";
    ChangePassword => "Wachtwoord wijzigen", "Change password";
    CurrentPassword => "Huidig wachtwoord", "Current password";
    NewPassword => "Nieuw wachtwoord", "New password";
    RepeatPassword => "Herhaal nieuw wachtwoord", "Repeat new password";
    PasswordsDiffer => "De wachtwoorden zijn niet gelijk.", "The passwords do not match.";
    PasswordChanged => "Uw wachtwoord is gewijzigd. U ontvangt hierover een e-mail.", "Your password has been changed. You will receive an e-mail about it.";
    PolicyTitle => "Het wachtwoord:", "The password:";
    RuleMinLength => "bevat minimaal 8 tekens", "has at least 8 characters";
    RuleLowercase => "bevat minimaal één kleine letter (a-z)", "has at least one lowercase letter (a-z)";
    RuleUppercase => "bevat minimaal één hoofdletter (A-Z)", "has at least one uppercase letter (A-Z)";
    RuleDigit => "bevat minimaal één cijfer (0-9)", "has at least one digit (0-9)";
    RuleSpecial => "bevat minimaal één speciaal teken (- _ ! $ % & ' . = / \\ : < > | ? @ [ ] ^ ` { } ~)", "has at least one special character (- _ ! $ % & ' . = / \\ : < > | ? @ [ ] ^ ` { } ~)";
    RuleNotUsername => "bevat niet uw gebruikersnaam", "does not contain your username";
    RuleMet => "voldaan", "met";
    RuleNotMet => "nog niet voldaan", "not met yet";
    MailboxTitle => "Ontwikkelpostvak", "Development mailbox";
    MailboxIntro => "Alle e-mails en sms-berichten die de portal verstuurde (alleen in ontwikkeling).", "Every e-mail and SMS message the portal sent (development only).";
    Refresh => "Vernieuwen", "Refresh";
    MailboxEmpty => "Nog geen berichten.", "No messages yet.";
    ChannelEmail => "E-mail", "E-mail";
    ChannelSms => "Sms", "SMS";
    To => "Aan", "To";
    NotFoundTitle => "Pagina niet gevonden", "Page not found";
    NotFoundText => "Deze pagina bestaat niet.", "This page does not exist.";
    ToStart => "Naar de startpagina", "To the start page";
    ErrUnauthenticated => "U bent niet (meer) ingelogd. Log opnieuw in.", "You are not signed in (any more). Please sign in again.";
    ErrForbidden => "U heeft geen toegang tot deze gegevens.", "You have no access to this information.";
    ErrNotFound => "Niet gevonden.", "Not found.";
    ErrInvalidCredentials => "De gebruikersnaam of het wachtwoord is onjuist.", "The username or password is incorrect.";
    ErrInvalidCode => "De code is onjuist.", "The code is incorrect.";
    AttemptsLeft => "Nog {n} poging(en).", "{n} attempt(s) left.";
    ErrCodeExpired => "Deze code is verlopen of te vaak geprobeerd. Log opnieuw in voor een nieuwe code.", "This code has expired or was tried too often. Sign in again for a new code.";
    ErrTooManyAttempts => "Te veel mislukte pogingen. Probeer het over {n} minuten opnieuw.", "Too many failed attempts. Try again in {n} minutes.";
    ErrCrossOrigin => "Dit verzoek is geweigerd.", "This request was refused.";
    ErrBadRequest => "Het verzoek was ongeldig. Vernieuw de pagina en probeer het opnieuw.", "The request was invalid. Reload the page and try again.";
    ErrInternal => "Er ging iets mis aan onze kant. Probeer het later opnieuw.", "Something went wrong on our side. Please try again later.";
    ErrCodeFormat => "Een code bestaat uit 6 cijfers.", "A code consists of 6 digits.";
    ErrWrongCurrentPassword => "Het huidige wachtwoord is onjuist.", "The current password is incorrect.";
    ErrRecentlyUsed => "Kies een wachtwoord dat u de laatste 5 keer niet heeft gebruikt.", "Choose a password you have not used the last 5 times.";
    ErrPolicy => "Het wachtwoord voldoet niet aan alle eisen hieronder.", "The password does not meet all the requirements below.";
    ErrSearchTooLong => "Gebruik maximaal 100 tekens.", "Use at most 100 characters.";
    ErrInvalidField => "Deze waarde is ongeldig.", "This value is invalid.";
}

impl Msg {
    pub fn for_rule_check(rule: Rule) -> Msg {
        match rule {
            Rule::MinLength => Msg::RuleMinLength,
            Rule::Lowercase => Msg::RuleLowercase,
            Rule::Uppercase => Msg::RuleUppercase,
            Rule::Digit => Msg::RuleDigit,
            Rule::Special => Msg::RuleSpecial,
            Rule::NotUsername => Msg::RuleNotUsername,
        }
    }

    /// The message for a field rule the server reported.
    pub fn for_rule(field: &str, rule: &str) -> Msg {
        match (field, rule) {
            ("code", _) => Msg::ErrCodeFormat,
            ("current_password", _) => Msg::ErrWrongCurrentPassword,
            ("new_password", "recently_used") => Msg::ErrRecentlyUsed,
            ("new_password", _) => Msg::ErrPolicy,
            ("search", _) => Msg::ErrSearchTooLong,
            _ => Msg::ErrInvalidField,
        }
    }

    pub fn for_error(error: &ApiError) -> Msg {
        match error {
            ApiError::Unauthenticated => Msg::ErrUnauthenticated,
            ApiError::Forbidden => Msg::ErrForbidden,
            ApiError::NotFound => Msg::ErrNotFound,
            ApiError::InvalidCredentials => Msg::ErrInvalidCredentials,
            ApiError::InvalidCode { .. } => Msg::ErrInvalidCode,
            ApiError::CodeExpired => Msg::ErrCodeExpired,
            ApiError::TooManyAttempts { .. } => Msg::ErrTooManyAttempts,
            ApiError::Validation { .. } => Msg::ErrInvalidField,
            ApiError::CrossOrigin => Msg::ErrCrossOrigin,
            ApiError::BadRequest => Msg::ErrBadRequest,
            ApiError::Internal => Msg::ErrInternal,
        }
    }
}
