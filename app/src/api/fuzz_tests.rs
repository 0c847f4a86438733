//! Fuzz targets for the server functions' request bodies. Every server function here takes
//! JSON (`input = Json`), which `server_fn` reads with `serde_json::from_slice` into the
//! argument struct the `#[server]` macro generates (named after the function: `SignIn` for
//! `sign_in`). Whatever the body, reading it must not panic, and what is read must be what
//! it writes back as: no value a handler receives is other than the one its type describes.

use super::*;
use crate::domain::fuzz_tests::{
    as_u8, deserializes_as_parsed, json_bytes, json_string, json_value,
};
use proptest::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// Every field name of the argument structs and of the types inside them, so that generated
/// objects get past the first field.
const KEYS: &[&str] = &[
    "token",
    "code",
    "username",
    "password",
    "current",
    "new",
    "filter",
    "status",
    "org_id",
    "id",
    "applicant_id",
    "email",
    "mobile",
    "challenge",
    "reason",
    "reference",
    "passed",
    "search",
    "after",
    "sort_key",
    "draft",
    "step",
    "level",
    "kvk",
    "restrict_to_branch",
    "branch_id",
    "users",
    "with_authorizations",
    "all_services",
    "services",
    "validity_years",
    "submission_key",
    "first_name",
    "infix",
    "last_name",
    "date_of_birth",
    "employed",
    "language",
    "file_base64",
    "emails",
    "terms_version",
    "agreed",
    "user",
    "service",
    "state",
    "include_inactive",
    "ending_within_days",
    "ids",
    "years",
    "total_cents",
    "user_id",
    "request",
    "all_services",
    "also_manager",
    "validity",
    "accept",
    "unlinked",
];

/// Reads `body` as the server function codec does; if that succeeds, the value written and
/// read again writes the same JSON.
fn reads_back<T: Serialize + DeserializeOwned>(body: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(value) = serde_json::from_slice::<T>(body) {
        let written = serde_json::to_value(&value).unwrap();
        let again: T = serde_json::from_value(written.clone())
            .map_err(|e| TestCaseError::fail(format!("{} does not read back: {e}", written)))?;
        prop_assert_eq!(serde_json::to_value(&again).unwrap(), written);
    }
    Ok(())
}

/// Every server function's argument struct.
fn every_server_function_reads_back(body: &[u8]) -> Result<(), TestCaseError> {
    reads_back::<acceptance::OpenInvitation>(body)?;
    reads_back::<acceptance::ConfirmDetails>(body)?;
    reads_back::<acceptance::SendCode>(body)?;
    reads_back::<acceptance::VerifyCode>(body)?;
    reads_back::<acceptance::ChooseCredentials>(body)?;
    reads_back::<acceptance::Order>(body)?;
    reads_back::<account::ChangePassword>(body)?;
    reads_back::<applications::ManagedOrganizations>(body)?;
    reads_back::<applications::ListApplications>(body)?;
    reads_back::<applications::GetApplication>(body)?;
    reads_back::<applications::ResendInvitation>(body)?;
    reads_back::<applications::CorrectApplicant>(body)?;
    reads_back::<applications::CancelApplicant>(body)?;
    reads_back::<applications::CancelApplication>(body)?;
    reads_back::<auth::SignIn>(body)?;
    reads_back::<auth::VerifyCode>(body)?;
    reads_back::<auth::SignOut>(body)?;
    reads_back::<auth::CurrentUser>(body)?;
    reads_back::<authorizations::ListAuthorizations>(body)?;
    reads_back::<authorizations::FilterOptions>(body)?;
    reads_back::<authorizations::RevokeAuthorization>(body)?;
    reads_back::<authorizations::EndingSoon>(body)?;
    reads_back::<authorizations::QuoteRenewal>(body)?;
    reads_back::<authorizations::RenewAuthorizations>(body)?;
    reads_back::<authorizations::AppointManager>(body)?;
    reads_back::<new_authorizations::StartRequest>(body)?;
    reads_back::<new_authorizations::RequestCandidates>(body)?;
    reads_back::<new_authorizations::RequestAuthorizations>(body)?;
    reads_back::<link_requests::SentLinkRequests>(body)?;
    reads_back::<link_requests::SendLinkRequest>(body)?;
    reads_back::<link_requests::WithdrawLinkRequest>(body)?;
    reads_back::<link_requests::MyLinkRequests>(body)?;
    reads_back::<link_requests::AnswerLinkRequest>(body)?;
    reads_back::<final_check::ListFinalChecks>(body)?;
    reads_back::<final_check::GetFinalCheck>(body)?;
    reads_back::<final_check::Approve>(body)?;
    reads_back::<final_check::Reject>(body)?;
    reads_back::<final_check::SimulatedVerifications>(body)?;
    reads_back::<final_check::SimulateResult>(body)?;
    reads_back::<mailbox::DevMailbox>(body)?;
    reads_back::<users::ListUsers>(body)?;
    reads_back::<wizard::LoadWizard>(body)?;
    reads_back::<wizard::WizardSave>(body)?;
    reads_back::<wizard::WizardDiscard>(body)?;
    reads_back::<wizard::WizardCheckKvk>(body)?;
    reads_back::<wizard::WizardImportCsv>(body)?;
    reads_back::<wizard::WizardExistingEmails>(body)?;
    reads_back::<wizard::WizardServices>(body)?;
    reads_back::<wizard::WizardSubmit>(body)?;
    Ok(())
}

/// A valid body for each server function that takes arguments.
fn valid_bodies() -> Vec<Value> {
    use crate::domain::{acceptance::Status, level::AssuranceLevel, new_user::NewUser};
    let draft = wizard::Draft {
        step: wizard::WizardStep::Users,
        org_id: Some("org".into()),
        level: Some(AssuranceLevel::Eh3),
        kvk: "12345678".into(),
        branch_id: None,
        users: vec![NewUser {
            first_name: "Sanne".into(),
            email: "sanne@voorbeeld.nl".into(),
            mobile: "0612345678".into(),
            date_of_birth: "14-03-1988".into(),
            ..NewUser::default()
        }],
        services: vec!["service".into()],
        ..wizard::Draft::new("key".into())
    };
    let s = |v: &str| v.to_string();
    let json = |v: Result<Value, serde_json::Error>| v.unwrap();
    vec![
        json(serde_json::to_value(acceptance::VerifyCode {
            token: s("t"),
            code: s("123456"),
        })),
        json(serde_json::to_value(acceptance::ChooseCredentials {
            token: s("t"),
            username: s("sanne"),
            password: s("geheim"),
        })),
        json(serde_json::to_value(account::ChangePassword {
            current: s("a"),
            new: s("b"),
        })),
        json(serde_json::to_value(auth::SignIn {
            username: s("sanne"),
            password: s("geheim"),
        })),
        json(serde_json::to_value(auth::VerifyCode {
            challenge: s("c"),
            code: s("123456"),
        })),
        json(serde_json::to_value(applications::ListApplications {
            filter: applications::ApplicationFilter {
                status: Some(Status::Invited),
                org_id: Some(s("org")),
            },
            after: Some(applications::ApplicationsCursor {
                submitted_at: chrono::DateTime::UNIX_EPOCH,
                id: s("a"),
            }),
        })),
        json(serde_json::to_value(applications::CorrectApplicant {
            applicant_id: s("a"),
            email: s("a@b.nl"),
            mobile: s("0612345678"),
        })),
        json(serde_json::to_value(final_check::Reject {
            id: s("a"),
            reason: s("nee"),
        })),
        json(serde_json::to_value(final_check::SimulateResult {
            reference: s("r"),
            passed: true,
        })),
        json(serde_json::to_value(users::ListUsers {
            search: s(""),
            after: Some(users::UsersCursor {
                sort_key: s("k"),
                id: s("i"),
            }),
        })),
        json(serde_json::to_value(wizard::WizardSave {
            draft: draft.clone(),
        })),
        json(serde_json::to_value(wizard::WizardCheckKvk {
            org_id: s("org"),
            kvk: s("12345678"),
        })),
        json(serde_json::to_value(wizard::WizardImportCsv {
            org_id: s("org"),
            file_base64: s("dm9vcm5hYW0="),
        })),
        json(serde_json::to_value(wizard::WizardExistingEmails {
            org_id: s("org"),
            emails: vec![s("a@b.nl")],
        })),
        json(serde_json::to_value(wizard::WizardServices {
            level: AssuranceLevel::Eh2Plus,
            search: s(""),
        })),
        json(serde_json::to_value(wizard::WizardSubmit {
            draft,
            terms_version: 1,
            agreed: true,
        })),
    ]
}

/// `replacement` put in place of the node of `value` that `path` leads to (as far as it goes).
fn replace_at(value: &mut Value, path: &[proptest::sample::Index], replacement: Value) {
    match (value, path.split_first()) {
        (Value::Object(map), Some((at, rest))) if !map.is_empty() => {
            let i = at.index(map.len());
            replace_at(map.values_mut().nth(i).unwrap(), rest, replacement);
        }
        (Value::Array(items), Some((at, rest))) if !items.is_empty() => {
            let i = at.index(items.len());
            replace_at(&mut items[i], rest, replacement);
        }
        (node, _) => *node = replacement,
    }
}

/// A valid body with one node anywhere in it replaced by a string (what most fields hold)
/// or by arbitrary JSON, so that the deserializers of the nested types (the draft, its users,
/// levels, steps) are reached.
fn mutated_valid_body() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::sample::select(valid_bodies()),
        proptest::collection::vec(any::<proptest::sample::Index>(), 1..6),
        prop_oneof![
            2 => json_string().prop_map(Value::String),
            1 => json_value(KEYS),
        ],
    )
        .prop_map(|(mut body, path, replacement)| {
            replace_at(&mut body, &path, replacement);
            serde_json::to_vec(&body).unwrap()
        })
}

#[test]
fn the_valid_bodies_are_read() {
    for body in valid_bodies() {
        let bytes = serde_json::to_vec(&body).unwrap();
        every_server_function_reads_back(&bytes).unwrap();
    }
    let submit = serde_json::to_vec(&valid_bodies().pop().unwrap()).unwrap();
    assert!(serde_json::from_slice::<wizard::WizardSubmit>(&submit).is_ok());
}

proptest! {
    // 2,000 bodies, each read as every one of the 34 argument structs: about a second.
    // PROPTEST_CASES overrides.
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn fuzz_server_function_bodies_never_panic_and_read_back_the_same(
        body in prop_oneof![2 => json_bytes(KEYS), 3 => mutated_valid_body()],
    ) {
        every_server_function_reads_back(&body)?;
    }
}

proptest! {
    // Deep arbitrary JSON is the slow part: 500 cases, a third of a second.
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A wizard step on the wire is 1 to 6 and nothing else, whatever a request holds there.
    #[test]
    fn attack_a_wizard_step_cannot_be_built_invalid_by_deserializing(json in json_value(&[])) {
        deserializes_as_parsed(&json, as_u8(wizard::WizardStep::try_from))?;
    }
}
