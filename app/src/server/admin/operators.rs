//! `server create-operator`: a broker operator (who does the final check), with a username and
//! a password the person running the command chooses. The password meets the scheme's policy,
//! is stored as an argon2id hash and is never printed or logged. An operator signs in with the
//! password and an SMS code to the mobile number, like everyone else.

use super::{refuse, AdminResult};
use crate::domain::codes::Field;
use crate::domain::email::Email;
use crate::domain::level::AssuranceLevel;
use crate::domain::new_user::{self, Language};
use crate::domain::password;
use crate::domain::phone::MobileNumber;
use crate::domain::username::Username;
use crate::server::account::remember_password;
use crate::server::{audit, passwords};
use sqlx::PgPool;
use uuid::Uuid;

/// A person's details as the commands take them.
#[derive(Debug, Clone)]
pub struct Person {
    pub first_name: String,
    pub infix: String,
    pub last_name: String,
    pub email: String,
    pub mobile: String,
    /// `nl` or `en`: the language of their e-mails and SMS messages.
    pub language: String,
}

/// The checked form of a [`Person`]: every problem at once, so the operator fixes them in one go.
pub struct CheckedPerson {
    pub first_name: String,
    pub infix: String,
    pub last_name: String,
    pub email: Email,
    pub mobile: MobileNumber,
    pub language: &'static str,
}

impl Person {
    /// The wizard's rules for a person (`domain::new_user`): tidied names within the table's
    /// limits, a lower-case e-mail address, a mobile number, nl or en. Every problem at once.
    pub fn check(&self) -> AdminResult<CheckedPerson> {
        let mut fields = Vec::new();
        new_user::check_name(
            &mut fields,
            Field::FirstName,
            &self.first_name,
            true,
            new_user::MAX_NAME_CHARS,
        );
        new_user::check_name(
            &mut fields,
            Field::Infix,
            &self.infix,
            false,
            new_user::MAX_INFIX_CHARS,
        );
        new_user::check_name(
            &mut fields,
            Field::LastName,
            &self.last_name,
            true,
            new_user::MAX_NAME_CHARS,
        );
        let mut problems: Vec<String> = fields
            .iter()
            .map(|p| format!("{:?}: {:?}", p.field, p.code))
            .collect();
        let email = new_user::normalized_email(&self.email);
        if email.is_none() {
            problems.push(format!("{:?} is not an e-mail address", self.email));
        }
        let mobile = MobileNumber::parse(&self.mobile).ok();
        if mobile.is_none() {
            problems.push(format!(
                "{:?} is not a mobile number (06-12345678 or +31612345678)",
                self.mobile
            ));
        }
        let language = Language::parse(&self.language);
        if language.is_none() {
            problems.push(format!(
                "language must be nl or en, not {:?}",
                self.language
            ));
        }
        match (email, mobile, language) {
            (Some(email), Some(mobile), Some(language)) if problems.is_empty() => {
                Ok(CheckedPerson {
                    first_name: new_user::tidy_name(&self.first_name),
                    infix: new_user::tidy_name(&self.infix),
                    last_name: new_user::tidy_name(&self.last_name),
                    email,
                    mobile,
                    language: language.as_str(),
                })
            }
            _ => refuse(problems.join("; ")),
        }
    }
}

/// Creates an operator account; returns its id. Refuses a taken username.
pub async fn create(
    pool: &PgPool,
    username: &str,
    person: &Person,
    level: AssuranceLevel,
    password: &str,
) -> AdminResult<Uuid> {
    let username = Username::parse(username)
        .or_else(|_| refuse("the username must be 3 to 64 of a-z, 0-9 and . _ @ -"))?;
    let p = person.check()?;
    if let Some(rule) = password::check(password, username.as_str()).first_failure() {
        return refuse(format!(
            "the password does not meet the policy ({rule:?}): at least 8 characters with a \
             lower-case and an upper-case letter, a digit and one of {}, not containing the \
             username",
            password::SPECIALS
        ));
    }
    if level < AssuranceLevel::Eh2Plus {
        return refuse("an operator needs level EH2+ or higher (a second factor at sign-in)");
    }
    let hash = passwords::hash(password.to_string()).await?;
    let mut tx = pool.begin().await?;
    let id: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, first_name, infix, last_name, email, mobile,
                            level, language, is_operator, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, 'active')
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(username.as_str())
    .bind(&hash)
    .bind(&p.first_name)
    .bind(&p.infix)
    .bind(&p.last_name)
    .bind(p.email.as_str())
    .bind(p.mobile.as_str())
    .bind(level.as_str())
    .bind(p.language)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return refuse(format!("the username {} is taken", username.as_str()));
    };
    remember_password(&mut tx, id, &hash).await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::OperatorCreated,
        None,
        super::with_actor(serde_json::json!({ "user_id": id, "username": username.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
