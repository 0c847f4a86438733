//! Every text of the portal in Dutch and English, by area. Each area is compiled only into the
//! bundles that show it: the sign-in page's bundle (the first download) carries the common and
//! sign-in texts, the acceptance page's bundle the common and acceptance texts, and the portal's
//! bundle the common and portal texts. So a new page's texts never cost the sign-in page a byte.
//! The server and the tests compile every area. A text without both languages does not compile;
//! a test checks that both languages use the same placeholders.

use super::i18n::Lang;
use crate::api::ApiError;
use crate::domain::password::Rule;

macro_rules! messages {
    ($(
        $(#[doc = $doc:literal])*
        $area:ident ($($cfg:tt)*) { $($key:ident => $nl:literal, $en:literal;)* }
    )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($($key,)*)* }

        /// The areas' texts, each compiled in where its area is; elsewhere it has none.
        mod area {
            use super::{Lang, Msg};
            $(
                $(#[doc = $doc])*
                #[cfg($($cfg)*)]
                pub fn $area(msg: Msg, lang: Lang) -> Option<&'static str> {
                    match (msg, lang) {
                        $((Msg::$key, Lang::Nl) => Some($nl), (Msg::$key, Lang::En) => Some($en),)*
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
                #[cfg(not($($cfg)*))]
                pub fn $area(_: Msg, _: Lang) -> Option<&'static str> {
                    None
                }
            )*
        }

        impl Msg {
            /// Every text, for the tests.
            #[cfg(test)]
            pub const ALL: &[Msg] = &[$($(Msg::$key,)*)*];

            /// The text in `lang`; empty in a bundle that leaves the text's area out (a page of
            /// another bundle never shows there).
            pub fn text(self, lang: Lang) -> &'static str {
                None
                    $(.or_else(|| area::$area(self, lang)))*
                    .unwrap_or_default()
            }
        }
    };
}

messages! {
    /// Every bundle: the frame, the words forms share, and the errors any page can get.
    common (all()) {
        Language => "Taal", "Language";
        Loading => "Bezig met laden…", "Loading…";
        SkipToContent => "Naar de inhoud", "Skip to content";
        Username => "Gebruikersnaam", "Username";
        Password => "Wachtwoord", "Password";
        CodeSentTo => "We hebben een code van 6 cijfers gestuurd naar {n}. De code is 5 minuten geldig.", "We sent a 6-digit code to {n}. The code is valid for 5 minutes.";
        Required => "Vul dit veld in.", "Please fill in this field.";
        Name => "Naam", "Name";
        Email => "E-mailadres", "E-mail address";
        Mobile => "Mobiel nummer", "Mobile number";
        Level => "Betrouwbaarheidsniveau", "Assurance level";
        Next => "Volgende", "Next";
        RepeatPassword => "Herhaal nieuw wachtwoord", "Repeat new password";
        PasswordsDiffer => "De wachtwoorden zijn niet gelijk.", "The passwords do not match.";
        PolicyTitle => "Het wachtwoord:", "The password:";
        RuleMinLength => "bevat minimaal 8 tekens", "has at least 8 characters";
        RuleLowercase => "bevat minimaal één kleine letter (a-z)", "has at least one lowercase letter (a-z)";
        RuleUppercase => "bevat minimaal één hoofdletter (A-Z)", "has at least one uppercase letter (A-Z)";
        RuleDigit => "bevat minimaal één cijfer (0-9)", "has at least one digit (0-9)";
        RuleSpecial => "bevat minimaal één speciaal teken (- _ ! $ % & ' . = / \\ : < > | ? @ [ ] ^ ` { } ~)", "has at least one special character (- _ ! $ % & ' . = / \\ : < > | ? @ [ ] ^ ` { } ~)";
        RuleNotUsername => "bevat niet uw gebruikersnaam", "does not contain your username";
        RuleMet => "voldaan", "met";
        RuleNotMet => "nog niet voldaan", "not met yet";
        ErrUsernameInvalid => "Een gebruikersnaam heeft 3 tot 64 tekens: letters, cijfers en . _ - @", "A username has 3 to 64 characters: letters, digits and . _ - @";
        ErrUsernameTaken => "Deze gebruikersnaam is al in gebruik. Kies een andere.", "This username is taken. Choose another one.";
        ErrUnauthenticated => "U bent niet (meer) ingelogd. Log opnieuw in.", "You are not signed in (any more). Please sign in again.";
        ErrForbidden => "U heeft geen toegang tot deze gegevens.", "You have no access to this information.";
        ErrNotFound => "Niet gevonden.", "Not found.";
        ErrInvalidCredentials => "De gebruikersnaam of het wachtwoord is onjuist.", "The username or password is incorrect.";
        ErrInvalidCode => "De code is onjuist.", "The code is incorrect.";
        AttemptsLeftOne => "Nog 1 poging.", "1 attempt left.";
        AttemptsLeft => "Nog {n} pogingen.", "{n} attempts left.";
        ErrCodeExpired => "Deze code is verlopen of te vaak geprobeerd. Log opnieuw in voor een nieuwe code.", "This code has expired or was tried too often. Sign in again for a new code.";
        ErrTooManyAttemptsOne => "Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.", "Too many failed attempts. Try again in 1 minute.";
        ErrTooManyAttempts => "Te veel mislukte pogingen. Probeer het over {n} minuten opnieuw.", "Too many failed attempts. Try again in {n} minutes.";
        ErrCrossOrigin => "Dit verzoek is geweigerd.", "This request was refused.";
        ErrBadRequest => "Het verzoek was ongeldig. Vernieuw de pagina en probeer het opnieuw.", "The request was invalid. Reload the page and try again.";
        ErrInternal => "Er ging iets mis aan onze kant. Probeer het later opnieuw.", "Something went wrong on our side. Please try again later.";
        ErrCodeFormat => "Een code bestaat uit 6 cijfers.", "A code consists of 6 digits.";
        ErrPolicy => "Het wachtwoord voldoet niet aan alle eisen hieronder.", "The password does not meet all the requirements below.";
        ErrInvalidField => "Deze waarde is ongeldig.", "This value is invalid.";
        StepAuthorizations => "Machtigingen", "Authorizations";
        Organization => "Organisatie", "Organization";
        Branch => "Vestiging", "Branch";
        DateOfBirth => "Geboortedatum", "Date of birth";
        Validity => "Geldigheidsduur", "Validity";
        NYears => "{n} jaar", "{n} years";
        NoAuthorizations => "Geen machtigingen", "No authorizations";
        AllServices => "Alle diensten", "All services";
        ErrTooLong => "Dit is te lang.", "This is too long.";
        UserN => "Gebruiker", "User";
        ErrBusy => "Het is even erg druk. Probeer het over {n} seconden opnieuw.", "It is very busy right now. Please try again in {n} seconds.";
        ErrUnavailable => "Het portaal is even niet beschikbaar. Er is niets gewijzigd; probeer het zo opnieuw.", "The portal is briefly unavailable. Nothing was changed; please try again shortly.";
        ErrNetwork => "Geen verbinding met de server. Controleer uw verbinding en probeer het opnieuw.", "No connection to the server. Check your connection and try again.";
    }
    /// The sign-in page (its own bundle).
    sign_in (any(feature = "signin", not(feature = "csr"))) {
        SignInTitle => "Inloggen", "Sign in";
        SignInIntro => "Log in met uw eHerkenningsmiddel om uw organisaties, gebruikers en machtigingen te beheren.", "Sign in with your eHerkenning means to manage your organizations, users and authorizations.";
        SignInButton => "Inloggen", "Sign in";
        CodeTitle => "Sms-code invoeren", "Enter SMS code";
        Code => "Sms-code", "SMS code";
        Confirm => "Bevestigen", "Confirm";
        StartOver => "Opnieuw beginnen", "Start over";
        SignInHelp => "Hulp bij inloggen", "Help with signing in";
    }
    /// The acceptance page (its own bundle).
    acceptance (any(feature = "accept", not(feature = "csr"))) {
        StepNOfM => "Stap {n} van {m}", "Step {n} of {m}";
        InvitationTitle => "Uitnodiging", "Invitation";
        LinkInvalidTitle => "Deze link werkt niet", "This link does not work";
        LinkInvalidText => "De link is verlopen, al gebruikt, ingetrokken of onbekend. Vraag de beheerder van uw organisatie om een nieuwe uitnodiging.", "The link has expired, was used already, was withdrawn or is unknown. Ask the authorization manager of your organization for a new invitation.";
        AcceptDetailsTitle => "Controleer uw gegevens", "Check your details";
        AcceptDetailsIntro => "{org} heeft een eHerkenningsmiddel voor u aangevraagd. Kloppen de gegevens hieronder?", "{org} has applied for an eHerkenning login means for you. Are the details below correct?";
        AcceptDetailsWrong => "Klopt er iets niet? Vraag de beheerder van {org} het te corrigeren; u krijgt dan een nieuwe uitnodiging.", "Is something wrong? Ask the authorization manager of {org} to correct it; you will then get a new invitation.";
        AcceptDetailsButton => "Gegevens kloppen", "Details are correct";
        AcceptMobileTitle => "Controleer uw mobiele nummer", "Check your mobile number";
        AcceptMobileIntro => "Wij sturen een eenmalige code per sms naar:", "We will send a one-time code by SMS to:";
        AcceptMobileWrong => "Is dit niet uw nummer? Dan kunt u niet verder. Vraag de beheerder van {org} het nummer te corrigeren; het kan hier niet worden gewijzigd.", "Is this not your number? Then you cannot continue. Ask the authorization manager of {org} to correct the number; it cannot be changed here.";
        AcceptCodeTitle => "Vul de eenmalige code in", "Enter the one-time code";
        OneTimeCode => "Eenmalige code", "One-time code";
        NewCode => "Stuur een nieuwe code (nog {n})", "Send a new code ({n} left)";
        NewCodeIn => "Nieuwe code mogelijk over {n} s", "New code possible in {n} s";
        NoMoreCodes => "U kunt geen nieuwe code meer aanvragen. Vraag de beheerder van uw organisatie om een nieuwe uitnodiging.", "You cannot request another code. Ask the authorization manager of your organization for a new invitation.";
        AcceptCredentialsTitle => "Kies uw gebruikersnaam en wachtwoord", "Choose your username and password";
        AcceptCredentialsIntro => "Hiermee logt u voortaan in.", "You will use these to sign in from now on.";
        UsernameHint => "3 tot 64 tekens: letters, cijfers en . _ - @", "3 to 64 characters: letters, digits and . _ - @";
        AcceptSummaryTitle => "Controleer uw aanvraag", "Check your application";
        AcceptNotEmployedNote => "U bent niet in loondienst van deze organisatie. Na het bestellen ontvangt u een uitnodiging voor een persoonlijke identificatie via onze partner. Daarna voeren wij een laatste controle uit.", "You are not employed by this organization. After ordering you will receive an invitation to a personal identification with our partner. After that we do a final check.";
        Order => "Bestel", "Order";
        AcceptDoneTitle => "Bedankt", "Thank you";
        AcceptIssued => "Uw eHerkenningsmiddel is actief. U kunt nu inloggen met gebruikersnaam {u}. U ontvangt ook een bevestiging per e-mail.", "Your eHerkenning login means is active. You can now sign in with username {u}. You will also receive a confirmation by e-mail.";
        AcceptVerification => "U ontvangt een e-mail met een uitnodiging voor uw identificatie. Rond die af vóór {d}. Na de identificatie en onze laatste controle geven wij uw eHerkenningsmiddel uit.", "You will receive an e-mail inviting you to verify your identity. Complete it before {d}. After the verification and our final check we issue your eHerkenning login means.";
        AcceptVerificationFollows => "Uw bestelling is ontvangen. U ontvangt binnenkort een e-mail met een uitnodiging voor uw identificatie. Na de identificatie en onze laatste controle geven wij uw eHerkenningsmiddel uit.", "Your order has been received. You will soon receive an e-mail inviting you to verify your identity. After the verification and our final check we issue your eHerkenning login means.";
        StartVerification => "Nu beginnen met de identificatie", "Start the identification now";
        Close => "Afsluiten", "Close";
        ErrNoMoreCodes => "U kunt geen nieuwe code meer aanvragen. Vraag de beheerder van uw organisatie om een nieuwe uitnodiging.", "You cannot request another code. Ask the authorization manager of your organization for a new invitation.";
        ErrWaitForCode => "Wacht even voordat u een nieuwe code aanvraagt.", "Please wait a moment before requesting a new code.";
        ErrCodeDead => "Deze code is verlopen of te vaak geprobeerd. Vraag een nieuwe code aan.", "This code has expired or was tried too often. Request a new code.";
    }
    /// The portal's pages after sign-in.
    portal (not(feature = "single-page")) {
        Searching => "Bezig met zoeken…", "Searching…";
        UserBlocked => "Geblokkeerd", "Blocked";
        MenuButton => "Menu", "Menu";
        PagerLabel => "Pagina's, nu pagina {n}", "Pages, now page {n}";
        MainNav => "Hoofdmenu", "Main menu";
        Beheer => "Beheer", "Management";
        Users => "Gebruikers", "Users";
        MyAccount => "Mijn account", "My account";
        SignOut => "Uitloggen", "Sign out";
        UsersIntro => "De gebruikers van de organisaties die u beheert.", "The users of the organizations you manage.";
        Search => "Zoeken", "Search";
        SearchHint => "Naam, e-mailadres of gebruikersnaam", "Name, e-mail address or username";
        Organizations => "Organisaties", "Organizations";
        NotYetChosen => "nog niet gekozen", "not chosen yet";
        NoUsersFound => "Geen gebruikers gevonden.", "No users found.";
        Previous => "Vorige", "Previous";
        PageN => "Pagina {n}", "Page {n}";
        UsersTable => "Gebruikers", "Users";
        MyDetails => "Mijn gegevens", "My details";
        ChangePassword => "Wachtwoord wijzigen", "Change password";
        CurrentPassword => "Huidig wachtwoord", "Current password";
        NewPassword => "Nieuw wachtwoord", "New password";
        PasswordChanged => "Uw wachtwoord is gewijzigd. U ontvangt hierover een e-mail.", "Your password has been changed. You will receive an e-mail about it.";
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
        StepsTaken => "Stappen", "Steps";
        StepConfirmed => "Gegevens bevestigd", "Details confirmed";
        StepMobileVerified => "Mobiel nummer bevestigd", "Mobile number confirmed";
        StepOrdered => "Besteld", "Ordered";
        StepVerified => "Identificatie geslaagd", "Identity verified";
        ReasonLabel => "Reden", "Reason";
        FinalCheckTitle => "Eindcontrole", "Final check";
        FinalCheckIntro => "Aanvragen waarvan de identificatie is geslaagd, wachten hier op uw laatste controle.", "Applications whose identity verification passed wait here for your final check.";
        FinalCheckEmpty => "Er wachten geen aanvragen.", "No applications are waiting.";
        VerifiedAt => "Geïdentificeerd op", "Verified at";
        Reference => "Referentie", "Reference";
        Approve => "Goedkeuren en uitgeven", "Approve and issue";
        Reject => "Afwijzen", "Reject";
        RejectReason => "Reden van afwijzing", "Reason for rejection";
        Approved => "Goedgekeurd: het eHerkenningsmiddel is uitgegeven.", "Approved: the login means has been issued.";
        Rejected => "Afgewezen. De beheerder krijgt een e-mail.", "Rejected. The manager gets an e-mail.";
        BackToQueue => "Terug naar de eindcontrole", "Back to the final check";
        SimulatorTitle => "Identificatiesimulator", "Identity verification simulator";
        SimulatorIntro => "In ontwikkeling staat deze pagina voor de identificatiepartner: laat een identificatie slagen of mislukken. Het resultaat gaat als ondertekende webhook naar de portal.", "In development this page stands in for the identity-verification partner: let a verification pass or fail. The result goes to the portal as a signed webhook.";
        SimulatorEmpty => "Er wachten geen identificaties.", "No verifications are waiting.";
        Deadline => "Uiterlijk", "Deadline";
        Pass => "Laten slagen", "Pass";
        Fail => "Laten mislukken", "Fail";
        Done => "Verwerkt.", "Done.";
        ErrWrongCurrentPassword => "Het huidige wachtwoord is onjuist.", "The current password is incorrect.";
        ErrRecentlyUsed => "Kies een wachtwoord dat u de laatste 5 keer niet heeft gebruikt.", "Choose a password you have not used the last 5 times.";
        ErrSearchTooLong => "Gebruik maximaal 100 tekens.", "Use at most 100 characters.";
        Applications => "Lopende aanvragen", "Applications in progress";
        AddUsersButton => "Gebruiker(s) toevoegen", "Add user(s)";
        AddUsersTitle => "Gebruiker(s) toevoegen", "Add user(s)";
        Steps => "Stappen", "Steps";
        StepOrganization => "Organisatie en niveau", "Organization and level";
        StepKvk => "KvK-nummer en vestiging", "KvK number and branch";
        StepCheckOrganization => "Organisatiegegevens", "Organization details";
        StepSummary => "Overzicht en akkoord", "Summary and agreement";
        DraftSaved => "Concept opgeslagen", "Draft saved";
        DraftSaving => "Concept opslaan…", "Saving draft…";
        DraftNotSaved => "Concept niet opgeslagen: controleer uw verbinding. Wat u invulde blijft staan.", "Draft not saved: check your connection. What you entered stays here.";
        Back => "Vorige", "Back";
        ChooseOption => "Maak een keuze", "Choose";
        ChooseAnOrganization => "Kies een organisatie.", "Choose an organization.";
        ChooseALevel => "Kies een betrouwbaarheidsniveau.", "Choose an assurance level.";
        LevelHint => "U kunt een niveau aanvragen tot en met uw eigen niveau. Sommige diensten vragen een hoger niveau.", "You can request a level up to and including your own. Some services require a higher level.";
        KvkNumber => "KvK-nummer", "KvK number";
        KvkFormat => "Een KvK-nummer bestaat uit 8 cijfers.", "A KvK number consists of 8 digits.";
        CheckKvk => "Controleren", "Check";
        KvkHint => "Vul het KvK-nummer van de organisatie in (8 cijfers) ter controle.", "Enter the organization's KvK number (8 digits) to check it.";
        KvkFound => "Gevonden in het Handelsregister: {name}", "Found in the trade register: {name}";
        RestrictToBranch => "Wilt u de gebruikers beperken tot een specifieke vestiging?", "Do you want to restrict the users to one branch?";
        NoRecommended => "Nee (aanbevolen)", "No (recommended)";
        Yes => "Ja", "Yes";
        No => "Nee", "No";
        BranchWarning => "Let op: wij adviseren u om \"Nee\" te kiezen. Een gebruiker met een vestigingsnummer kan bij sommige dienstverleners (waaronder de Belastingdienst en UWV) niet inloggen.", "Note: we advise you to choose \"No\". A user restricted to a branch cannot log in at some service providers (among them the Belastingdienst and UWV).";
        NoBranches => "Het Handelsregister kent geen vestigingen van deze organisatie.", "The trade register knows no branches of this organization.";
        AllBranches => "Alle vestigingen", "All branches";
        Address => "Adres", "Address";
        Change => "Wijzigen", "Change";
        Remove => "Verwijderen", "Remove";
        UsersStepIntro => "Voeg de nieuwe gebruikers toe, één voor één of met een CSV-bestand. U kunt ze wijzigen of verwijderen voordat u verdergaat.", "Add the new users, one by one or with a CSV file. You can change or remove them before you go on.";
        NoUsersYet => "Nog geen gebruikers toegevoegd.", "No users added yet.";
        UsersAdded => "Toegevoegde gebruikers ({n})", "Users added ({n})";
        DateOfBirthFormat => "Geboortedatum (dd-mm-jjjj)", "Date of birth (dd-mm-yyyy)";
        Employed => "In loondienst", "Employed";
        EmployedQuestion => "Is de gebruiker in loondienst van de organisatie?", "Is the user employed by the organization?";
        EmployedHint => "Gebruikers in loondienst krijgen hun inlogmiddel direct na acceptatie; anderen doorlopen eerst een identiteitscontrole.", "Employees get their login means as soon as they accept; others first go through identity verification.";
        Actions => "Acties", "Actions";
        AddUser => "Gebruiker toevoegen", "Add user";
        ChangeUser => "Gebruiker wijzigen", "Change user";
        FirstName => "Voornaam", "First name";
        Infix => "Tussenvoegsel", "Infix";
        LastName => "Achternaam", "Last name";
        Cancel => "Annuleren", "Cancel";
        Save => "Opslaan", "Save";
        UploadCsv => "CSV-bestand uploaden", "Upload CSV file";
        CsvHint => "Kolommen: voornaam, tussenvoegsel, achternaam, e-mail, mobiel, geboortedatum (dd-mm-jjjj), in loondienst (ja/nee) en eventueel taal; gescheiden door puntkomma of komma.", "Columns: first name, infix, last name, e-mail, mobile, date of birth (dd-mm-yyyy), employed (yes/no) and optionally language; separated by semicolons or commas.";
        DownloadExample => "Voorbeeldbestand downloaden", "Download example file";
        ReadingFile => "Bestand lezen…", "Reading file…";
        CsvPreview => "Voorbeeld van het bestand", "Preview of the file";
        CsvCountsOne => "1 rij in orde, {bad} met problemen. Verbeter de rode velden, of neem eerst de goede rij over.", "1 row fine, {bad} with problems. Correct the red fields, or take over the good row first.";
        CsvCounts => "{ok} rijen in orde, {bad} met problemen. Verbeter de rode velden, of neem eerst de goede rijen over.", "{ok} rows fine, {bad} with problems. Correct the red fields, or take over the good rows first.";
        Line => "Regel", "Line";
        Problems => "Problemen", "Problems";
        RowOk => "In orde", "Fine";
        PageNOfM => "Pagina {n} van {m}", "Page {n} of {m}";
        ClosePreview => "Sluiten", "Close";
        TakeOverValid => "Geldige rijen overnemen ({n})", "Take over valid rows ({n})";
        AddAuthorizationsNow => "Wilt u direct machtigingen toevoegen?", "Do you want to add authorizations now?";
        NoAuthorizationsWarning => "Let op: zonder machtigingen kan de gebruiker niet inloggen bij een dienstverlener.", "Note: without authorizations the user cannot log in at any service provider.";
        AllServicesQuestion => "Wilt u een machtiging voor alle diensten?", "Do you want an authorization for all services?";
        AllServicesHint => "De gebruikers kunnen inloggen bij alle bestaande en toekomstige diensten op het gekozen niveau.", "The users can log in at every existing and future service at the chosen level.";
        ChosenServicesHint => "De gebruikers kunnen alleen inloggen bij de diensten die u kiest.", "The users can only log in at the services you choose.";
        OneYear => "1 jaar", "1 year";
        SearchService => "Zoek een dienst", "Search a service";
        SearchServiceHint => "Typ een deel van de naam of de dienstverlener. Typ \"alle\" voor alle diensten op dit niveau.", "Type part of the name or the provider. Type \"all\" for every service at this level.";
        ChooseAllServices => "Alle diensten kiezen: één machtiging voor alle bestaande en toekomstige diensten", "Choose all services: one authorization for every existing and future service";
        SearchResults => "Zoekresultaten", "Search results";
        Add => "Toevoegen", "Add";
        ChosenServices => "Gekozen diensten ({n})", "Chosen services ({n})";
        Price => "Prijs", "Price";
        PriceLine => "{n} × machtiging {level}, {validity} à {unit}", "{n} × authorization {level}, {validity} at {unit}";
        Subtotal => "Subtotaal (excl. btw)", "Subtotal (excl. VAT)";
        Vat => "Btw {p}%", "VAT {p}%";
        VatShort => "Btw", "VAT";
        Total => "Totaal", "Total";
        NServicesOne => "1 dienst", "1 service";
        NServices => "{n} diensten", "{n} services";
        ShowUsersOne => "Toon de gebruiker", "Show the user";
        ShowUsers => "Toon de {n} gebruikers", "Show the {n} users";
        TermsTitle => "Voorwaarden (versie {n})", "Terms (version {n})";
        AgreeToTerms => "Ik heb de voorwaarden gelezen en ga ermee akkoord.", "I have read the terms and agree to them.";
        AgreeFirst => "Vink aan dat u akkoord gaat met de voorwaarden.", "Tick that you agree to the terms.";
        Agree => "Akkoord", "Agree";
        ApplicationSent => "Aanvraag verstuurd", "Application sent";
        ApplicationSentText => "De gebruikers ontvangen een e-mail waarmee zij de aanvraag kunnen accepteren. U volgt de aanvraag onder Lopende aanvragen.", "The users receive an e-mail to accept the application. You follow the application under Applications in progress.";
        ToApplications => "Naar Lopende aanvragen", "To Applications in progress";
        AddMoreUsers => "Nog meer gebruikers toevoegen", "Add more users";
        ApplicationsIntro => "De aanvragen van de organisaties die u beheert, met per gebruiker de stand van zaken.", "The applications of the organizations you manage, with where each user stands.";
        NoApplications => "Geen aanvragen gevonden.", "No applications found.";
        Submitted => "Ingediend", "Submitted";
        SubmittedBy => "Aangevraagd door", "Requested by";
        View => "Bekijken", "View";
        StatusFilter => "Status", "Status";
        Status => "Status", "Status";
        AllStatuses => "Alle statussen", "All statuses";
        AllOrganizations => "Alle organisaties", "All organizations";
        Application => "Aanvraag", "Application";
        BackToApplications => "Terug naar Lopende aanvragen", "Back to Applications in progress";
        CancelApplication => "Hele aanvraag annuleren", "Cancel the whole application";
        CancelApplicationConfirm => "Weet u het zeker? Alle gebruikers die nog niet klaar zijn, worden geannuleerd en hun links werken niet meer.", "Are you sure? Every user not finished yet is cancelled and their links stop working.";
        YesCancelApplication => "Ja, annuleer de aanvraag", "Yes, cancel the application";
        ApplicationCancelled => "De aanvraag is geannuleerd.", "The application has been cancelled.";
        ResendInvitation => "Uitnodiging opnieuw versturen", "Resend invitation";
        InvitationResent => "De uitnodiging is opnieuw verstuurd. De vorige link werkt niet meer.", "The invitation has been sent again. The previous link no longer works.";
        Correct => "Corrigeren", "Correct";
        SaveAndResend => "Opslaan en opnieuw uitnodigen", "Save and invite again";
        CorrectedAndResent => "De gegevens zijn gecorrigeerd en er is een nieuwe uitnodiging verstuurd.", "The details have been corrected and a new invitation has been sent.";
        CancelUser => "Annuleren", "Cancel";
        CancelUserConfirm => "Weet u het zeker? De link van deze gebruiker werkt dan niet meer.", "Are you sure? This user's link will stop working.";
        YesCancelUser => "Ja, annuleren", "Yes, cancel";
        ApplicantCancelled => "De aanvraag voor deze gebruiker is geannuleerd.", "The application for this user has been cancelled.";
        LinkValidUntil => "link geldig tot {d}", "link valid until {d}";
        StatusInvited => "Uitgenodigd", "Invited";
        StatusAccepted => "Geaccepteerd", "Accepted";
        StatusIdentityVerification => "Identiteitscontrole", "Identity verification";
        StatusFinalCheck => "Eindcontrole", "Final check";
        StatusIssued => "Uitgegeven", "Issued";
        StatusRejected => "Afgewezen", "Rejected";
        StatusExpired => "Verlopen", "Expired";
        StatusCancelled => "Geannuleerd", "Cancelled";
        ErrInvalidCharacters => "Dit veld bevat tekens die niet zijn toegestaan.", "This field contains characters that are not allowed.";
        ErrInvalidEmail => "Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.", "Enter a valid e-mail address, for example name@company.nl.";
        ErrInvalidMobile => "Vul een geldig mobiel nummer in, bijvoorbeeld 06 12345678 of +32 470 12 34 56.", "Enter a valid mobile number, for example 06 12345678 or +32 470 12 34 56.";
        ErrInvalidDate => "Vul een bestaande datum in als dd-mm-jjjj.", "Enter an existing date as dd-mm-yyyy.";
        ErrImplausibleDate => "Deze geboortedatum kan niet kloppen: de gebruiker moet tussen 16 en 120 jaar oud zijn.", "This date of birth cannot be right: the user must be between 16 and 120 years old.";
        ErrInvalidLanguage => "Kies Nederlands (nl) of Engels (en).", "Choose Dutch (nl) or English (en).";
        ErrInvalidEmployed => "Vul ja of nee in.", "Enter yes or no.";
        ErrDuplicate => "Komt al eerder voor in deze aanvraag.", "Already occurs earlier in this application.";
        ErrAlreadyMember => "Deze persoon is al gebruiker van deze organisatie.", "This person is already a user of this organization.";
        ErrAboveOwnLevel => "U kunt geen hoger niveau aanvragen dan uw eigen niveau.", "You cannot request a level above your own.";
        ErrKvkMismatch => "Dit KvK-nummer hoort niet bij de gekozen organisatie.", "This KvK number does not belong to the chosen organization.";
        ErrKvkNotRegistered => "Dit KvK-nummer staat niet in het Handelsregister.", "This KvK number is not in the trade register.";
        ErrBranch => "Kies een vestiging van deze organisatie.", "Choose a branch of this organization.";
        ErrServicesRequired => "Kies minimaal één dienst.", "Choose at least one service.";
        ErrServiceAboveLevel => "Een gekozen dienst vraagt een hoger niveau dan het gekozen niveau.", "A chosen service requires a higher level than the one chosen.";
        ErrServiceUnknown => "Een gekozen dienst bestaat niet (meer).", "A chosen service does not exist (any more).";
        ErrValidity => "Kies 1, 3 of 5 jaar.", "Choose 1, 3 or 5 years.";
        ErrTermsOutdated => "De voorwaarden zijn gewijzigd. Vernieuw de pagina, lees ze opnieuw en ga akkoord.", "The terms have changed. Reload the page, read them again and agree.";
        ErrCsvTooLarge => "Het bestand is groter dan 1 MB. Splits het in kleinere bestanden.", "The file is larger than 1 MB. Split it into smaller files.";
        ErrCsvTooManyRows => "Het bestand heeft meer dan 10.000 rijen.", "The file has more than 10,000 rows.";
        ErrCsvEmpty => "Het bestand bevat geen gebruikers.", "The file contains no users.";
        ErrCsvMissingColumns => "Het bestand mist verplichte kolommen (voornaam, achternaam, e-mail, mobiel, geboortedatum, in loondienst). Gebruik het voorbeeldbestand.", "The file lacks required columns (first name, last name, e-mail, mobile, date of birth, employed). Use the example file.";
        ErrNotCsv => "Dit is geen CSV-bestand. Sla het bestand in uw spreadsheet op als CSV.", "This is not a CSV file. Save the file from your spreadsheet as CSV.";
        ErrUsersRequired => "Voeg minimaal één gebruiker toe.", "Add at least one user.";
        ErrTooManyUsers => "Maximaal 10.000 gebruikers per aanvraag.", "At most 10,000 users per application.";
        ErrNotInvited => "Dit kan alleen zolang de gebruiker de uitnodiging nog niet heeft geaccepteerd.", "This is only possible while the user has not accepted the invitation yet.";
        StartOverWizard => "Opnieuw beginnen (alles wissen)", "Start over (clear everything)";
        ErrNotOpen => "Deze aanvraag is al afgerond.", "This application has already been completed.";
        Authorizations => "Machtigingen", "Authorizations";
        AuthorizationsIntro => "Alle machtigingen in de organisaties die u beheert. Standaard ziet u de actieve en aangevraagde; vink \"Toon ook inactieve machtigingen\" aan voor verlopen en ingetrokken machtigingen.", "Every authorization in the organizations you manage. By default you see the active and requested ones; tick \"Show inactive authorizations too\" for expired and revoked ones.";
        User => "Gebruiker", "User";
        LevelShort => "Niveau", "Level";
        Service => "Dienst", "Service";
        AnyService => "Alle diensten en machtigingen", "Every service and authorization";
        AllLevels => "Alle niveaus", "All levels";
        ShowInactive => "Toon ook inactieve machtigingen", "Show inactive authorizations too";
        ExportCsv => "Exporteren (CSV)", "Export (CSV)";
        RequestNewMeans => "Nieuw middel aanvragen", "Request a new login means";
        NoAuthorizationsFound => "Geen machtigingen gevonden met deze filters.", "No authorizations found with these filters.";
        ValidFrom => "Geldig van", "Valid from";
        ValidUntil => "Geldig tot", "Valid until";
        Revoke => "Intrekken", "Revoke";
        RevokeQuestion => "Machtiging intrekken?", "Revoke this authorization?";
        RevokeLoses => "{u} kan dan direct niet meer namens {o} gebruikmaken van {s}. Dit kunt u niet ongedaan maken.", "{u} can then no longer use {s} on behalf of {o}, starting now. This cannot be undone.";
        YesRevoke => "Ja, intrekken", "Yes, revoke";
        AuthorizationRevoked => "De machtiging is ingetrokken. De gebruiker en de andere beheerders krijgen een e-mail.", "The authorization has been revoked. The user and the other managers get an e-mail.";
        ManagerBadge => "beheerder", "manager";
        ManagingAuthorizations => "Beheer van machtigingen", "Managing authorizations";
        EndingSoon => "Verloopt binnenkort", "Ending soon";
        EndingWithin => "{n} binnen {d} dagen", "{n} within {d} days";
        AnyEndDate => "Alle einddatums", "Any end date";
        WithinDays => "Binnen {d} dagen", "Within {d} days";
        Choose => "Kiezen", "Choose";
        Renew => "Verlengen", "Renew";
        Activate => "Activeren", "Activate";
        RenewChosen => "Machtigingen verlengen ({n} gekozen)", "Renew authorizations ({n} chosen)";
        RenewAuthorizations => "Machtigingen verlengen", "Renew authorizations";
        RenewRule => "Een actieve machtiging wordt verlengd vanaf de huidige einddatum, een verlopen machtiging wordt geactiveerd vanaf vandaag; nooit langer dan 5 jaar vanaf vandaag. Beheerdersmachtigingen zijn gratis.", "An active authorization is renewed from its current end date, an expired one is activated from today; never longer than 5 years from today. Manager's rights are free.";
        NewEndDate => "Nieuwe einddatum", "New end date";
        RenewedOne => "1 machtiging is verlengd.", "1 authorization has been renewed.";
        RenewedMany => "{n} machtigingen zijn verlengd.", "{n} authorizations have been renewed.";
        AuthPending => "Aangevraagd", "Requested";
        AuthActive => "Actief", "Active";
        AuthExpired => "Verlopen", "Expired";
        AuthRevoked => "Ingetrokken", "Revoked";
        ErrAuthorizationAboveOwnLevel => "Deze machtiging heeft een hoger niveau dan uw eigen middel. Alleen een beheerder van dat niveau kan haar wijzigen.", "This authorization is of a higher level than your own means. Only a manager of that level can change it.";
        ErrAlreadyManager => "Deze gebruiker is al beheerder van deze organisatie.", "This user already manages this organization.";
        ErrNoLoginAuthorization => "Deze gebruiker heeft geen actieve machtiging bij deze organisatie. Een beheerdersmachtiging loopt samen met die machtiging.", "This user has no active authorization with this organization. A manager's right runs together with that authorization.";
        MakeManager => "Beheerder maken", "Make manager";
        MakeManagerQuestion => "Beheerder maken?", "Make manager?";
        StartOverQuestion => "Opnieuw beginnen?", "Start over?";
        StartOverLosesOne => "Alle ingevulde gegevens en 1 gebruiker worden gewist.", "Everything entered, including 1 user, will be cleared.";
        StartOverLoses => "Alle ingevulde gegevens en {n} gebruikers worden gewist.", "Everything entered, including {n} users, will be cleared.";
        YesClearAll => "Ja, alles wissen", "Yes, clear everything";
        SendingApplication => "Bezig met versturen…", "Sending…";
        NothingSent => "Er is niets verstuurd; probeer het opnieuw.", "Nothing was sent; please try again.";
        SubmitOutcomeUnknown => "Geen verbinding met de server, dus we weten niet of de aanvraag is aangekomen. Controleer uw verbinding en kies opnieuw Akkoord: een aanvraag wordt nooit twee keer verstuurd.", "No connection to the server, so we do not know whether the application arrived. Check your connection and choose Agree again: an application is never sent twice.";
        UsersShownOfTotal => "{n} van {m} gebruikers getoond.", "{n} of {m} users shown.";
        ShowAllUsers => "Toon alle gebruikers", "Show all users";
        CsvUnreadable => "Dit bestand kunnen we niet lezen. Kies een CSV-bestand: sla het in Excel op als \"CSV (gescheiden door lijstscheidingsteken)\".", "We cannot read this file. Choose a CSV file: in Excel, save it as \"CSV (Comma delimited)\".";
        TheUser => "de gebruiker", "the user";
        TheOrganization => "de organisatie", "the organization";
        ManagerFromWizard => "Wie u hier aanvinkt, is beheerder zodra het middel is uitgegeven. Later kan dat ook onder Machtigingen.", "Those you tick here are managers once their login means is issued. You can also do this later under Authorizations.";
        ManagersLine => "Ook beheerder", "Also manager";
        PriceStructure => "Opbouw van onze prijs", "How our price is structured";
        PricePerAuthorization => "U betaalt per machtiging: per gebruiker één voor elke gekozen dienst, of één voor alle diensten.", "You pay per authorization: per user one for each chosen service, or one for all services.";
        PriceDependsOn => "De prijs van een machtiging hangt af van het betrouwbaarheidsniveau (EH2, EH2+, EH3 of EH4) en de geldigheidsduur (1, 3 of 5 jaar), en geldt voor die hele periode.", "The price of an authorization depends on the assurance level (EH2, EH2+, EH3 or EH4) and the validity (1, 3 or 5 years), and covers that whole period.";
        PriceManagerFree => "Beheerdersmachtigingen zijn gratis.", "Manager's rights are free.";
        PriceVatAdded => "Over het bedrag komt {p}% btw.", "{p}% VAT is added to the amount.";
        WhatIsAManager => "Wat is een beheerder? Een beheerder kan namens {o} gebruikers toevoegen en machtigingen aanvragen, verlengen en intrekken. Het is gratis, op het niveau van het middel van {u}, en loopt samen met de machtiging van {u} om in te loggen.", "What is a manager? A manager can add users and request, renew and revoke authorizations on behalf of {o}. It is free, at the level of {u}'s login means, and runs together with {u}'s authorization to log in.";
        YesMakeManager => "Ja, beheerder maken", "Yes, make manager";
        ManagerAppointed => "{u} is nu beheerder van {o}. Hij of zij krijgt een e-mail.", "{u} now manages {o}. They get an e-mail.";
        ErrNotRenewable => "Alleen actieve en verlopen machtigingen kunnen worden verlengd.", "Only active and expired authorizations can be renewed.";
        ErrAdminAlone => "Een beheerdersmachtiging wordt alleen samen met machtigingen voor diensten verlengd.", "A manager's right is only renewed together with authorizations for services.";
        ErrChooseAuthorizations => "Kies eerst een of meer machtigingen.", "Choose one or more authorizations first.";
        ErrTooManyAuthorizations => "Verleng maximaal 1.000 machtigingen in één keer.", "Renew at most 1,000 authorizations at once.";
        ErrPriceChanged => "Het overzicht is gewijzigd. Bekijk de nieuwe einddatums en de prijs en kies opnieuw Akkoord.", "The summary has changed. Check the new end dates and the price, then choose Agree again.";
        ErrAlreadyEnded => "Deze machtiging is al beëindigd.", "This authorization has already ended.";
        RequestAuthorizations => "Nieuwe machtigingen aanvragen", "Request new authorizations";
        RequestIntro => "Voor een gebruiker die al een eHerkenningsmiddel heeft. De machtigingen zijn direct actief; de gebruiker krijgt een e-mail. Voor een nieuwe gebruiker kiest u Nieuw middel aanvragen.", "For a user who already holds an eHerkenning login means. The authorizations are active at once; the user gets an e-mail. For a new user, choose Request a new login means.";
        ChooseOrganizationOption => "Kies een organisatie", "Choose an organization";
        SearchUser => "Zoek de gebruiker", "Find the user";
        NoCandidates => "Geen gebruikers met een eHerkenningsmiddel gevonden in deze organisatie.", "No users with an eHerkenning login means found in this organization.";
        MeansLevel => "Het middel van {u} heeft niveau {l}; hoger kan niet.", "{u}'s login means is at level {l}; higher is not possible.";
        AllServicesChosen => "Alle diensten: één machtiging voor alle bestaande en toekomstige diensten.", "All services: one authorization for every existing and future service.";
        AlsoManager => "Ook beheerder worden (gratis)", "Also become authorization manager (free)";
        RequestDoneOne => "1 machtiging voor {u} is aangevraagd en direct actief. {u} krijgt een e-mail.", "1 authorization for {u} has been requested and is active now. {u} gets an e-mail.";
        RequestDone => "{n} machtigingen voor {u} zijn aangevraagd en direct actief. {u} krijgt een e-mail.", "{n} authorizations for {u} have been requested and are active now. {u} gets an e-mail.";
        BackToAuthorizations => "Naar Machtigingen", "To Authorizations";
        AnotherRequest => "Nog een aanvraag", "Another request";
        LinkRequests => "Koppelverzoeken", "Link requests";
        LinkRequestsIntro => "Koppel een gebruiker die al een eHerkenningsmiddel heeft aan nog een organisatie die u beheert. De gebruiker krijgt een e-mail en accepteert onder Mijn account; daarna kunt u machtigingen voor deze gebruiker aanvragen.", "Link a user who already holds an eHerkenning login means to another organization you manage. The user gets an e-mail and accepts under My account; then you can request authorizations for them.";
        NewLinkRequest => "Nieuwe aanvraag", "New request";
        UsersEmail => "E-mailadres van de gebruiker", "The user's e-mail address";
        SendLinkRequest => "Koppelverzoek versturen", "Send link request";
        LinkRequestSent => "Het koppelverzoek voor {e} is verstuurd. Heeft dit adres een eHerkenningsmiddel bij ons, dan krijgt de gebruiker een e-mail.", "The link request for {e} has been sent. If this address holds an eHerkenning login means with us, the user gets an e-mail.";
        OpenLinkRequests => "Openstaande koppelverzoeken", "Open link requests";
        NoOpenLinkRequests => "Er staan geen koppelverzoeken open.", "There are no open link requests.";
        SentOn => "Verstuurd op", "Sent on";
        OpenUntil => "Open tot en met", "Open until";
        SentBy => "Verstuurd door", "Sent by";
        Withdraw => "Intrekken", "Withdraw";
        LinkRequestFor => "{m} vraagt u te koppelen aan {o} (verstuurd op {d}). Als u accepteert, kan een beheerder van {o} u machtigingen geven.", "{m} asks to link you to {o} (sent on {d}). If you accept, a manager of {o} can give you authorizations.";
        AcceptLink => "Accepteren", "Accept";
        DeclineLink => "Weigeren", "Decline";
        LinkAccepted => "U bent nu gekoppeld aan {o}.", "You are now linked to {o}.";
        LinkDeclined => "U hebt het koppelverzoek van {o} geweigerd.", "You declined the link request from {o}.";
        ShowUnlinked => "Toon niet-gekoppelde gebruikers", "Show users not linked";
        LinkRequestSentTo => "Het koppelverzoek aan {u} is verstuurd. Zodra {u} het accepteert, krijgt u een e-mail met een link die deze aanvraag voortzet met {u} gekozen.", "The link request to {u} has been sent. Once {u} accepts it, you get an e-mail with a link that continues this request with {u} chosen.";
        LinkUnlisted => "Staat de gebruiker er niet bij? Stuur een koppelverzoek.", "User not listed? Send a link request.";
        ErrChooseOrganization => "Kies een organisatie.", "Choose an organization.";
        ErrChooseUser => "Kies een gebruiker.", "Choose a user.";
        ErrLevelAboveMeans => "Dit niveau is hoger dan het eHerkenningsmiddel van de gebruiker.", "This level is above the user's login means.";
        ErrTooManyServices => "Kies maximaal 200 diensten, of Alle diensten.", "Choose at most 200 services, or All services.";
        ErrServiceTaken => "De gebruiker heeft al een machtiging voor een gekozen dienst. Verleng die onder Machtigingen.", "The user already holds an authorization for a chosen service. Renew it under Authorizations.";
        ErrLastManager => "Dit is de laatste beheerder van deze organisatie. Benoem eerst een andere beheerder; anders kan niemand meer machtigingen beheren.", "This is the organization's last authorization manager. Appoint another manager first; otherwise nobody can manage authorizations any more.";
    }
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

    /// The message for a rule a field broke, as the server (or a shared domain check) reported
    /// it. The match on the rule is exhaustive, so a new rule does not compile without a text;
    /// where the text depends on the field, a test checks every combination in
    /// [`Field::rules`](crate::domain::codes::Field::rules) has its own.
    pub fn for_rule(field: crate::domain::codes::Field, rule: crate::domain::codes::Rule) -> Msg {
        use crate::domain::codes::{Field as F, Rule as R};
        match rule {
            R::Required => match field {
                F::Level => Msg::ChooseALevel,
                F::Branch => Msg::ErrBranch,
                F::Services => Msg::ErrServicesRequired,
                F::Users => Msg::ErrUsersRequired,
                F::Authorization => Msg::ErrChooseAuthorizations,
                F::Organization => Msg::ErrChooseOrganization,
                F::User => Msg::ErrChooseUser,
                _ => Msg::Required,
            },
            R::TooLong => match field {
                F::Search | F::ServiceSearch => Msg::ErrSearchTooLong,
                _ => Msg::ErrTooLong,
            },
            R::InvalidCharacters => Msg::ErrInvalidCharacters,
            R::InvalidEmail => Msg::ErrInvalidEmail,
            R::InvalidMobile => Msg::ErrInvalidMobile,
            R::InvalidDate => Msg::ErrInvalidDate,
            R::ImplausibleDate => Msg::ErrImplausibleDate,
            R::InvalidLanguage => Msg::ErrInvalidLanguage,
            R::InvalidEmployed => Msg::ErrInvalidEmployed,
            R::DuplicateInFile => Msg::ErrDuplicate,
            R::AlreadyMember => Msg::ErrAlreadyMember,
            R::Invalid => match field {
                F::Username => Msg::ErrUsernameInvalid,
                F::Kvk => Msg::KvkFormat,
                F::Validity => Msg::ErrValidity,
                _ => Msg::ErrInvalidField,
            },
            R::Format | R::SixDigits => Msg::ErrCodeFormat,
            R::NoMoreCodes => Msg::ErrNoMoreCodes,
            R::Taken => match field {
                F::Services => Msg::ErrServiceTaken,
                _ => Msg::ErrUsernameTaken,
            },
            R::MinLength | R::Lowercase | R::Uppercase | R::Digit | R::Special | R::NotUsername => {
                Msg::ErrPolicy
            }
            R::Differs => Msg::PasswordsDiffer,
            R::Wrong => Msg::ErrWrongCurrentPassword,
            R::RecentlyUsed => Msg::ErrRecentlyUsed,
            R::TooMany => match field {
                F::Authorization => Msg::ErrTooManyAuthorizations,
                F::Services => Msg::ErrTooManyServices,
                _ => Msg::ErrTooManyUsers,
            },
            R::Mismatch => Msg::ErrKvkMismatch,
            R::NotRegistered => Msg::ErrKvkNotRegistered,
            R::AboveOwnLevel => match field {
                F::Authorization => Msg::ErrAuthorizationAboveOwnLevel,
                _ => Msg::ErrAboveOwnLevel,
            },
            R::Unknown => match field {
                F::Branch => Msg::ErrBranch,
                _ => Msg::ErrServiceUnknown,
            },
            R::AboveLevel => match field {
                F::Level => Msg::ErrLevelAboveMeans,
                _ => Msg::ErrServiceAboveLevel,
            },
            R::NotAgreed => Msg::AgreeFirst,
            R::Outdated => match field {
                F::Authorization => Msg::ErrPriceChanged,
                _ => Msg::ErrTermsOutdated,
            },
            R::TooLarge => Msg::ErrCsvTooLarge,
            R::TooManyRows => Msg::ErrCsvTooManyRows,
            R::Empty => Msg::ErrCsvEmpty,
            R::MissingColumns => Msg::ErrCsvMissingColumns,
            R::NotCsv => Msg::ErrNotCsv,
            R::NotInvited => Msg::ErrNotInvited,
            R::NotOpen => Msg::ErrNotOpen,
            R::AlreadyEnded => Msg::ErrAlreadyEnded,
            R::LastManager => Msg::ErrLastManager,
            R::NotRenewable => Msg::ErrNotRenewable,
            R::AdminAlone => Msg::ErrAdminAlone,
            R::AlreadyManager => Msg::ErrAlreadyManager,
            R::NoLoginAuthorization => Msg::ErrNoLoginAuthorization,
        }
    }

    /// The label of a new user's field, for messages about one of several users; `None` for
    /// the fields that never come with a row.
    pub fn for_field(field: crate::domain::codes::Field) -> Option<Msg> {
        use crate::domain::codes::Field as F;
        match field {
            F::FirstName => Some(Msg::FirstName),
            F::Infix => Some(Msg::Infix),
            F::LastName => Some(Msg::LastName),
            F::Email => Some(Msg::Email),
            F::Mobile => Some(Msg::Mobile),
            F::DateOfBirth => Some(Msg::DateOfBirth),
            F::Employed => Some(Msg::Employed),
            F::Language => Some(Msg::Language),
            F::Code
            | F::Username
            | F::Password
            | F::Repeat
            | F::CurrentPassword
            | F::NewPassword
            | F::Search
            | F::ServiceSearch
            | F::Level
            | F::Kvk
            | F::Branch
            | F::Users
            | F::Csv
            | F::Services
            | F::Validity
            | F::Terms
            | F::Applicant
            | F::Application
            | F::Reason
            | F::Authorization
            | F::Organization
            | F::User => None,
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
            ApiError::Validation { field, rule, .. } => Msg::for_rule(*field, *rule),
            ApiError::CrossOrigin => Msg::ErrCrossOrigin,
            ApiError::BadRequest => Msg::ErrBadRequest,
            ApiError::Internal => Msg::ErrInternal,
            ApiError::Network => Msg::ErrNetwork,
            ApiError::Busy { .. } => Msg::ErrBusy,
            ApiError::Unavailable => Msg::ErrUnavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::{Field, Rule as Code};

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(i, _)| text[i..].find('}').map(|j| &text[i..=i + j]))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_text_has_both_languages_with_the_same_placeholders() {
        for msg in Msg::ALL {
            let (nl, en) = (msg.text(Lang::Nl), msg.text(Lang::En));
            assert!(!nl.is_empty() && !en.is_empty(), "{msg:?} lacks a language");
            assert_eq!(placeholders(nl), placeholders(en), "{msg:?}");
        }
    }

    #[test]
    fn no_text_hedges_a_plural_with_brackets() {
        // "gebruiker(s)" reads badly; say it with a `one` and an `other` text. Only titles
        // about any number of users keep the seed's wording.
        for msg in Msg::ALL {
            if matches!(msg, Msg::AddUsersButton | Msg::AddUsersTitle) {
                continue;
            }
            for lang in [Lang::Nl, Lang::En] {
                let text = msg.text(lang);
                let hedged = text
                    .char_indices()
                    .any(|(i, c)| c == '(' && text[..i].ends_with(char::is_alphabetic));
                assert!(!hedged, "{msg:?}: {text}");
            }
        }
    }

    const LANGS: [Lang; 2] = [Lang::Nl, Lang::En];

    /// A real text: not the generic "This value is invalid", not empty, no placeholder left.
    fn assert_specific(msg: Msg, what: &str) {
        assert_ne!(
            msg,
            Msg::ErrInvalidField,
            "{what} has only the generic text"
        );
        for lang in LANGS {
            let text = msg.text(lang);
            assert!(!text.trim().is_empty(), "{what} is empty in {lang:?}");
            assert_ne!(text, Msg::ErrInvalidField.text(lang), "{what} in {lang:?}");
            assert!(
                !text.contains('{'),
                "{what} leaves a placeholder in {lang:?}"
            );
        }
    }

    #[test]
    fn every_rule_the_server_can_report_has_its_own_text_in_both_languages() {
        for field in Field::ALL {
            assert!(!field.rules().is_empty(), "{field} has no rules");
            for rule in field.rules() {
                assert_specific(Msg::for_rule(*field, *rule), &format!("{field}: {rule}"));
            }
        }
        // Every rule is reported for some field, so each has a text as well.
        for rule in Code::ALL {
            assert!(
                Field::ALL.iter().any(|f| f.allows(*rule)),
                "{rule} is reported for no field"
            );
        }
    }

    #[test]
    fn every_field_of_a_new_user_has_a_label_in_both_languages() {
        for field in Field::ALL {
            match Msg::for_field(*field) {
                Some(label) => assert_specific(label, &format!("the label of {field}")),
                None => assert!(!field.is_new_user_field(), "{field} has no label"),
            }
        }
    }

    #[test]
    fn every_error_code_has_a_text_in_both_languages() {
        let errors = [
            ApiError::validation(Field::Kvk, Code::Mismatch),
            ApiError::in_row(2, Field::Email, Code::AlreadyMember),
            ApiError::Unauthenticated,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::InvalidCredentials,
            ApiError::InvalidCode { attempts_left: 1 },
            ApiError::CodeExpired,
            ApiError::TooManyAttempts {
                retry_after_secs: 60,
            },
            ApiError::CrossOrigin,
            ApiError::BadRequest,
            ApiError::Internal,
            ApiError::Network,
            ApiError::Busy {
                retry_after_secs: 5,
            },
            ApiError::Unavailable,
        ];
        for error in &errors {
            // Every variant is in the list: a new one fails to compile here until added above.
            match error {
                ApiError::Validation { .. }
                | ApiError::Unauthenticated
                | ApiError::Forbidden
                | ApiError::NotFound
                | ApiError::InvalidCredentials
                | ApiError::InvalidCode { .. }
                | ApiError::CodeExpired
                | ApiError::TooManyAttempts { .. }
                | ApiError::CrossOrigin
                | ApiError::BadRequest
                | ApiError::Internal
                | ApiError::Network
                | ApiError::Busy { .. }
                | ApiError::Unavailable => {}
            }
        }
        for error in errors {
            let msg = Msg::for_error(&error);
            assert_ne!(msg, Msg::ErrInvalidField, "{error:?}");
            for lang in LANGS {
                assert!(!msg.text(lang).trim().is_empty(), "{error:?} in {lang:?}");
            }
        }
    }
}
