//! The audit log: who did what, when. Written inside the transaction of the change it records.

use sqlx::PgConnection;
use uuid::Uuid;

/// Defines the actions with the text each is stored as, and the list of all of them.
macro_rules! actions {
    ($($variant:ident => $text:literal,)*) => {
        /// What an audit record says happened. Stored in `audit_log.action` as its text, which
        /// never changes for an existing action: old records and reports rely on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant,)* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The text stored in `audit_log.action`.
            pub fn as_str(self) -> &'static str {
                match self { $(Action::$variant => $text,)* }
            }
        }
    };
}

actions! {
    SigninFailed => "signin.failed",
    SigninCodeSent => "signin.code_sent",
    SigninCodeWrong => "signin.code_wrong",
    SigninSucceeded => "signin.succeeded",
    AccountPasswordChanged => "account.password_changed",
    ApplicationSubmitted => "application.submitted",
    ApplicationCancelled => "application.cancelled",
    InvitationResent => "invitation.resent",
    ApplicantCorrected => "applicant.corrected",
    ApplicantCancelled => "applicant.cancelled",
    AcceptanceDetailsConfirmed => "acceptance.details_confirmed",
    AcceptanceCodeSent => "acceptance.code_sent",
    AcceptanceCodeWrong => "acceptance.code_wrong",
    AcceptanceMobileVerified => "acceptance.mobile_verified",
    AcceptanceCredentialsChosen => "acceptance.credentials_chosen",
    AcceptanceOrdered => "acceptance.ordered",
    ApplicantVerificationStarted => "applicant.verification_started",
    ApplicantVerificationPassed => "applicant.verification_passed",
    ApplicantIssued => "applicant.issued",
    ApplicantRejected => "applicant.rejected",
    ApplicantExpired => "applicant.expired",
    AuthorizationRevoked => "authorization.revoked",
    AuthorizationsRenewed => "authorizations.renewed",
    ManagerAppointed => "manager.appointed",
    ExpiryRun => "expiry.run",
    AuthorizationsRequested => "authorizations.requested",
    LinkRequested => "link.requested",
    LinkWithdrawn => "link.withdrawn",
    LinkAccepted => "link.accepted",
    LinkDeclined => "link.declined",
    OperatorCreated => "admin.operator_created",
    OrganizationCreated => "admin.organization_created",
    CatalogImported => "admin.catalog_imported",
    TariffsImported => "admin.tariffs_imported",
    TermsPublished => "admin.terms_published",
    AccountUnlocked => "admin.account_unlocked",
    OutboxRetried => "admin.outbox_retried",
    BackupMade => "admin.backup_made",
    BackupRestored => "admin.backup_restored",
}

pub async fn record(
    conn: &mut PgConnection,
    actor: Option<Uuid>,
    action: Action,
    org: Option<Uuid>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, org_id, details) VALUES ($1, $2, $3, $4)",
    )
    .bind(actor)
    .bind(action.as_str())
    .bind(org)
    .bind(details)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn actions_are_stored_as_the_same_distinct_texts_as_before() {
        let texts: HashSet<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(texts.len(), Action::ALL.len());
        for text in &texts {
            let (subject, verb) = text.split_once('.').expect(text);
            assert!(!subject.is_empty() && !verb.is_empty(), "{text}");
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'),
                "{text}"
            );
        }
        assert_eq!(Action::SigninCodeSent.as_str(), "signin.code_sent");
        assert_eq!(
            Action::ApplicantVerificationPassed.as_str(),
            "applicant.verification_passed"
        );
    }
}
