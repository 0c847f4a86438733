//! Messages that list authorizations: the expiry job's (a user's notice that authorizations end
//! soon, a manager's digest of one run with those ending soon, expired ones and invitations about
//! to lapse, the invitee's reminder) and a renewal order's (to the users and the managers).
//! Lists are cut off after `MAX_LINES` per section with a count of the rest: the portal has
//! the full list, a mail of thousands of lines helps nobody.

use super::messages::authorization_subject;
use crate::domain::date::{Date, Moment};

pub const MAX_LINES: usize = 100;

/// One authorization in a notice or digest.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub organization: &'a str,
    pub user_name: &'a str,
    pub service: Option<&'a str>,
    pub is_admin: bool,
    pub level: &'a str,
    /// The last day it is valid.
    pub ends: Date,
}

/// An invitation that lapses soon, in a manager's digest.
#[derive(Debug, Clone, Copy)]
pub struct Lapsing<'a> {
    pub organization: &'a str,
    pub user_name: &'a str,
    pub expires: Moment,
}

/// Where a user asks for renewal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The user manages the organization: Machtigingen in the portal.
    Portal(String),
    /// A `mailto:` link to the organization's managers.
    Managers(String),
    /// The organization has no manager today.
    Nobody,
}

fn en(language: &str) -> bool {
    language == "en"
}

fn listed<T>(language: &str, items: &[T], line: impl Fn(&T) -> String) -> String {
    let mut out: String = items
        .iter()
        .take(MAX_LINES)
        .map(|i| format!("- {}\n", line(i)))
        .collect();
    let rest = items.len().saturating_sub(MAX_LINES);
    if rest > 0 {
        out.push_str(&if en(language) {
            format!("- and {rest} more\n")
        } else {
            format!("- en nog {rest} andere\n")
        });
    }
    out
}

/// One authorization in a mail to its user: what it is for, its level and last day.
fn user_line(language: &str, i: &Item) -> String {
    let what = authorization_subject(language, i.service, i.is_admin);
    if en(language) {
        format!("{what} ({}), valid until {}", i.level, i.ends.show(false))
    } else {
        format!(
            "{what} ({}), geldig tot en met {}",
            i.level,
            i.ends.show(true)
        )
    }
}

/// One authorization in a mail to a manager: the organization and user too.
fn manager_line(language: &str, i: &Item) -> String {
    let what = authorization_subject(language, i.service, i.is_admin);
    if en(language) {
        format!(
            "{}: {}, {what} ({}), until {}",
            i.organization,
            i.user_name,
            i.level,
            i.ends.show(false)
        )
    } else {
        format!(
            "{}: {}, {what} ({}), tot en met {}",
            i.organization,
            i.user_name,
            i.level,
            i.ends.show(true)
        )
    }
}

/// `mailto:` to `addresses` with a subject, percent-encoded as RFC 6068 asks.
pub fn mailto(addresses: &[&str], subject: &str) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let to: Vec<String> = addresses.iter().map(|a| encode(a)).collect();
    format!("mailto:{}?subject={}", to.join(","), encode(subject))
}

/// The subject a user's renewal request mail gets.
pub fn renewal_request_subject(language: &str, organization: &str) -> String {
    if en(language) {
        format!("Request to renew my authorizations for {organization}")
    } else {
        format!("Verzoek om verlenging van mijn machtigingen voor {organization}")
    }
}

/// To a user: these authorizations for `organization` end within two months.
pub fn ending_soon_email(
    language: &str,
    first_name: &str,
    organization: &str,
    items: &[Item],
    ask: &Ask,
) -> (String, String) {
    let lines = listed(language, items, |i| user_line(language, i));
    if en(language) {
        let how = match ask {
            Ask::Portal(url) => format!(
                "As an authorization manager you renew them yourself under Authorizations: {url}"
            ),
            Ask::Managers(link) => {
                format!("Ask an authorization manager of {organization} to renew them: {link}")
            }
            Ask::Nobody => format!(
                "Ask {organization} to renew them; it has no authorization manager at the moment."
            ),
        };
        (
            format!("Your authorizations for {organization} end soon"),
            format!(
                "Dear {first_name},\n\nThese authorizations on behalf of {organization} end soon:\n\n{lines}\n\
                 {how}"
            ),
        )
    } else {
        let how = match ask {
            Ask::Portal(url) => {
                format!("Als beheerder verlengt u ze zelf onder Machtigingen: {url}")
            }
            Ask::Managers(link) => {
                format!("Vraag een beheerder van {organization} om verlenging: {link}")
            }
            Ask::Nobody => {
                format!("Vraag {organization} om verlenging; er is op dit moment geen beheerder.")
            }
        };
        (
            format!("Uw machtigingen voor {organization} verlopen binnenkort"),
            format!(
                "Beste {first_name},\n\nDeze machtigingen namens {organization} verlopen binnenkort:\n\n{lines}\n\
                 {how}"
            ),
        )
    }
}

/// To a manager: everything of this run in the organizations they manage, in one mail.
pub fn manager_digest_email(
    language: &str,
    first_name: &str,
    soon: &[Item],
    expired: &[Item],
    lapsing: &[Lapsing],
    public_url: &str,
) -> (String, String) {
    let item = |i: &Item| manager_line(language, i);
    let invitation = |l: &Lapsing| {
        if en(language) {
            format!(
                "{}: {}, expires on {}",
                l.organization,
                l.user_name,
                l.expires.show(false)
            )
        } else {
            format!(
                "{}: {}, verloopt op {}",
                l.organization,
                l.user_name,
                l.expires.show(true)
            )
        }
    };
    let mut body = if en(language) {
        format!("Dear {first_name},\n\nAn overview of the authorizations in the organizations you manage.\n")
    } else {
        format!("Beste {first_name},\n\nEen overzicht van de machtigingen in de organisaties die u beheert.\n")
    };
    if !soon.is_empty() {
        body.push_str(&if en(language) {
            format!(
                "\nEnding soon, within two months ({}):\n{}Renew them in one order under Authorizations, Ending soon: {public_url}/beheer/machtigingen\n",
                soon.len(),
                listed(language, soon, item)
            )
        } else {
            format!(
                "\nVerloopt binnenkort, binnen twee maanden ({}):\n{}Verleng ze in één bestelling onder Machtigingen, Verloopt binnenkort: {public_url}/beheer/machtigingen\n",
                soon.len(),
                listed(language, soon, item)
            )
        });
    }
    if !expired.is_empty() {
        body.push_str(&if en(language) {
            format!(
                "\nExpired since the previous overview ({}):\n{}Activate them again under Authorizations (Also show inactive authorizations).\n",
                expired.len(),
                listed(language, expired, item)
            )
        } else {
            format!(
                "\nVerlopen sinds het vorige overzicht ({}):\n{}Activeer ze opnieuw onder Machtigingen (Toon ook inactieve machtigingen).\n",
                expired.len(),
                listed(language, expired, item)
            )
        });
    }
    if !lapsing.is_empty() {
        body.push_str(&if en(language) {
            format!(
                "\nInvitations not yet accepted that expire within five days ({}):\n{}Send a new invitation if needed under Applications in progress: {public_url}/beheer/lopende-aanvragen\n",
                lapsing.len(),
                listed(language, lapsing, invitation)
            )
        } else {
            format!(
                "\nNog niet geaccepteerde uitnodigingen die binnen vijf dagen verlopen ({}):\n{}Stuur zo nodig een nieuwe uitnodiging onder Lopende aanvragen: {public_url}/beheer/lopende-aanvragen\n",
                lapsing.len(),
                listed(language, lapsing, invitation)
            )
        });
    }
    // The signature follows when it is queued (`outbox::email_body`).
    let total = soon.len() + expired.len() + lapsing.len();
    let subject = if en(language) {
        format!("Authorizations overview: {total} to look at")
    } else {
        format!("Overzicht machtigingen: {total} om naar te kijken")
    };
    (subject, body)
}

/// To a user: a manager renewed or re-activated these authorizations for `organization`
/// (`ends`: the new last day).
pub fn renewed_email(
    language: &str,
    first_name: &str,
    organization: &str,
    items: &[Item],
    public_url: &str,
) -> (String, String) {
    let lines = listed(language, items, |i| {
        let what = authorization_subject(language, i.service, i.is_admin);
        if en(language) {
            format!(
                "{what} ({}), now valid until {}",
                i.level,
                i.ends.show(false)
            )
        } else {
            format!(
                "{what} ({}), nu geldig tot en met {}",
                i.level,
                i.ends.show(true)
            )
        }
    });
    if en(language) {
        (
            format!("Your authorizations for {organization} have been renewed"),
            format!(
                "Dear {first_name},\n\nAn authorization manager of {organization} renewed these authorizations:\n\n{lines}\n\
                 Your authorizations: {public_url}/mijn-account"
            ),
        )
    } else {
        (
            format!("Uw machtigingen voor {organization} zijn verlengd"),
            format!(
                "Beste {first_name},\n\nEen beheerder van {organization} heeft deze machtigingen verlengd:\n\n{lines}\n\
                 Uw machtigingen: {public_url}/mijn-account"
            ),
        )
    }
}

/// To each manager of the organizations in a renewal order: what was renewed, by whom, for
/// what total (`total`: already formatted).
pub fn renewed_manager_email(
    language: &str,
    first_name: &str,
    ordered_by: &str,
    items: &[Item],
    total: &str,
    public_url: &str,
) -> (String, String) {
    let lines = listed(language, items, |i| manager_line(language, i));
    let n = items.len();
    if en(language) {
        (
            format!("{n} authorizations renewed"),
            format!(
                "Dear {first_name},\n\n{ordered_by} renewed or re-activated {n} authorizations in one order of {total} \
                 (VAT included):\n\n{lines}\nSee Authorizations: {public_url}/beheer/machtigingen"
            ),
        )
    } else {
        (
            format!("{n} machtigingen verlengd"),
            format!(
                "Beste {first_name},\n\n{ordered_by} heeft {n} machtigingen verlengd of geactiveerd in één bestelling van {total} \
                 (inclusief btw):\n\n{lines}\nBekijk Machtigingen: {public_url}/beheer/machtigingen"
            ),
        )
    }
}

/// To a user: a manager requested these authorizations for `organization`; they can be used
/// now (`ends`: the last day).
pub fn granted_email(
    language: &str,
    first_name: &str,
    organization: &str,
    items: &[Item],
    public_url: &str,
) -> (String, String) {
    let lines = listed(language, items, |i| user_line(language, i));
    if en(language) {
        (
            format!("New authorizations for {organization}"),
            format!(
                "Dear {first_name},\n\nAn authorization manager gave you these authorizations on behalf of {organization}. \
                 You can use them now with your eHerkenning login means:\n\n{lines}\n\
                 Your authorizations: {public_url}/mijn-account"
            ),
        )
    } else {
        (
            format!("Nieuwe machtigingen voor {organization}"),
            format!(
                "Beste {first_name},\n\nEen beheerder heeft u deze machtigingen gegeven namens {organization}. \
                 U kunt ze nu gebruiken met uw eHerkenningsmiddel:\n\n{lines}\n\
                 Uw machtigingen: {public_url}/mijn-account"
            ),
        )
    }
}

/// To an invited user who has not accepted yet, some days before the link expires. The link
/// itself is not repeated: only its hash is stored.
pub fn invitation_reminder_email(
    language: &str,
    first_name: &str,
    organization: &str,
    expires: Moment,
) -> (String, String) {
    let expires = expires.show(!en(language));
    if en(language) {
        (
            format!("Your invitation from {organization} expires soon"),
            format!(
                "Dear {first_name},\n\nYou have not yet accepted the eHerkenning means that {organization} requested for you. \
                 The invitation expires on {expires}.\n\n\
                 Use the link in the invitation e-mail you received. Can't find it? Ask the authorization manager \
                 who invited you for a new invitation."
            ),
        )
    } else {
        (
            format!("Uw uitnodiging van {organization} verloopt binnenkort"),
            format!(
                "Beste {first_name},\n\nU hebt het eHerkenningsmiddel dat {organization} voor u aanvroeg nog niet geaccepteerd. \
                 De uitnodiging verloopt op {expires}.\n\n\
                 Gebruik de link in de uitnodiging die u per e-mail kreeg. Kunt u die niet meer vinden? Vraag de beheerder \
                 die u uitnodigde om een nieuwe uitnodiging."
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailto_link_encodes_the_subject_and_keeps_the_addresses() {
        assert_eq!(
            mailto(
                &["a@x.nl", "b.c@y.nl"],
                "Verlenging voor Bakkerij & Zn. B.V."
            ),
            "mailto:a@x.nl,b.c@y.nl?subject=Verlenging%20voor%20Bakkerij%20%26%20Zn.%20B.V."
        );
    }

    #[test]
    fn a_long_list_is_cut_off_with_a_count_of_the_rest() {
        let items: Vec<Item> = (0..MAX_LINES + 7)
            .map(|_| Item {
                organization: "Bakkerij B.V.",
                user_name: "Jan",
                service: None,
                is_admin: false,
                level: "EH3",
                ends: Date::new(2027, 2, 1).unwrap(),
            })
            .collect();
        let (subject, body) = manager_digest_email("nl", "Eva", &items, &[], &[], "https://p");
        assert_eq!(subject, "Overzicht machtigingen: 107 om naar te kijken");
        assert_eq!(
            body.matches("Bakkerij B.V.: Jan, alle diensten").count(),
            MAX_LINES
        );
        assert!(body.contains("- en nog 7 andere\n"));
        assert!(!body.contains("B.V.."));
    }
}
