//! "Gebruiker(s) toevoegen": the add-users wizard, six steps over one draft. The draft is
//! saved on the server shortly after every change and at every step, so Back, Next, a reload
//! or a lost connection keep what was entered. Every step checks its input with the same
//! domain rules the server applies on submit.

mod authorizations;
mod organization;
mod summary;
mod users;

use crate::api::wizard::{
    load_wizard, wizard_check_kvk, wizard_discard, wizard_save, Draft, OrgDetails, WizardStart,
    WizardStep,
};
use crate::api::ApiError;
use crate::domain::codes::Field;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, I18n, Msg};
use crate::ui::session::require_sign_in;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What every step shares.
#[derive(Clone, Copy)]
pub struct Wizard {
    pub draft: RwSignal<Draft>,
    pub start: StoredValue<WizardStart>,
    /// The organization as the KvK register knows it, once step 2 checked it.
    pub org: RwSignal<Option<OrgDetails>>,
    /// An error from the server for the step shown.
    pub error: RwSignal<Option<ApiError>>,
    /// The application's id once submitted.
    pub submitted: RwSignal<Option<String>>,
    /// While "Akkoord" waits for the server's answer: the wizard is busy and nothing in it
    /// can be sent, left or cleared.
    pub submitting: RwSignal<bool>,
    /// "Akkoord" failed with `error`: every step says what that means for the application.
    pub submit_failed: RwSignal<bool>,
    saved: RwSignal<SaveState>,
    edits: RwSignal<u32>,
    in_flight: StoredValue<bool>,
    dirty: StoredValue<bool>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SaveState {
    Saved,
    Saving,
    Failed,
}

impl Wizard {
    pub fn go(&self, step: WizardStep) {
        self.error.set(None);
        self.submit_failed.set(false);
        self.edit(|d| d.step = step);
        scroll_to_top();
    }

    /// Changes the draft and saves it at once.
    pub fn edit(&self, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        self.save_now();
    }

    /// Changes the draft while the manager types: saved once typing pauses.
    pub fn edit_typing(&self, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        self.saved.set(SaveState::Saving);
        self.edits.update(|n| *n += 1);
        let ticket = self.edits.get_untracked();
        let this = *self;
        set_timeout(
            move || {
                if this.edits.get_untracked() == ticket {
                    this.save_now();
                }
            },
            std::time::Duration::from_millis(500),
        );
    }

    /// Sends the draft as it is now. One save at a time, so an older draft can never arrive
    /// after a newer one; changes made meanwhile are sent right after.
    pub fn save_now(&self) {
        let this = *self;
        this.saved.set(SaveState::Saving);
        if this.in_flight.get_value() {
            this.dirty.set_value(true);
            return;
        }
        this.in_flight.set_value(true);
        spawn_local(async move {
            loop {
                this.dirty.set_value(false);
                let draft = this.draft.get_untracked();
                let ok = wizard_save(draft).await.is_ok();
                if this.dirty.get_value() {
                    continue;
                }
                this.saved.set(if ok {
                    SaveState::Saved
                } else {
                    SaveState::Failed
                });
                break;
            }
            this.in_flight.set_value(false);
        });
    }
}

fn scroll_to_top() {
    #[cfg(feature = "csr")]
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

pub fn use_wizard() -> Wizard {
    expect_context::<Wizard>()
}

pub const STEPS: [Msg; 6] = [
    Msg::StepOrganization,
    Msg::StepKvk,
    Msg::StepCheckOrganization,
    Msg::Users,
    Msg::StepAuthorizations,
    Msg::StepSummary,
];

#[component]
pub fn AddUsers() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let loaded = fetch(load_wizard);
    move || {
        loaded.value.get().map(|result| match result {
            Err(e) => view! { <section class="card"><p class="error" role="alert">{i18n.error(&e)}</p></section> }.into_any(),
            Ok(start) => view! { <WizardView start/> }.into_any(),
        })
    }
}

#[component]
fn WizardView(start: WizardStart) -> impl IntoView {
    let i18n = use_i18n();
    let wizard = Wizard {
        draft: RwSignal::new(start.draft.clone()),
        start: StoredValue::new(start),
        org: RwSignal::new(None),
        error: RwSignal::new(None),
        submitted: RwSignal::new(None),
        submitting: RwSignal::new(false),
        submit_failed: RwSignal::new(false),
        saved: RwSignal::new(SaveState::Saved),
        edits: RwSignal::new(0),
        in_flight: StoredValue::new(false),
        dirty: StoredValue::new(false),
    };
    provide_context(wizard);
    // After a reload: ask the register again for the organization's details shown in steps 3
    // and 6 (they are not part of the draft).
    let (org_id, kvk) = wizard
        .draft
        .with_untracked(|d| (d.org_id.clone(), d.kvk.clone()));
    if let (Some(org_id), false) = (org_id, kvk.is_empty()) {
        spawn_local(async move {
            if let Ok(details) = wizard_check_kvk(org_id, kvk).await {
                wizard.org.set(Some(details));
            }
        });
    }
    let step = Memo::new(move |_| wizard.draft.with(|d| d.step));
    // A new step: its heading takes the focus, as a new page's does.
    Effect::new(move |previous: Option<_>| {
        let now = step.get();
        if previous.is_some_and(|p| p != now) {
            crate::ui::page::focus_heading(".wizard h2");
        }
        now
    });
    let progress = move || {
        let current = step.get();
        STEPS
            .iter()
            .enumerate()
            .map(|(i, msg)| {
                let n = WizardStep::ALL[i];
                let state = if n < current {
                    "done"
                } else if n == current {
                    "current"
                } else {
                    "todo"
                };
                view! {
                    <li class=state aria-current=(n == current).then_some("step")>
                        <span class="step-no">{n.number()}</span>" "{i18n.t(*msg)}
                    </li>
                }
            })
            .collect_view()
    };
    let save_state = move || match wizard.saved.get() {
        SaveState::Saved => i18n.t(Msg::DraftSaved),
        SaveState::Saving => i18n.t(Msg::DraftSaving),
        SaveState::Failed => i18n.t(Msg::DraftNotSaved),
    };
    // Clearing entered users asks first; with none entered it clears at once.
    let confirming = RwSignal::new(false);
    let start_over_button = NodeRef::<leptos::html::Button>::new();
    let users = move || wizard.draft.with(|d| d.users.len());
    let clear = move || {
        confirming.set(false);
        spawn_local(async move {
            match wizard_discard().await {
                Ok(draft) => {
                    wizard.org.set(None);
                    wizard.error.set(None);
                    wizard.submit_failed.set(false);
                    wizard.draft.set(draft);
                }
                Err(e) => wizard.error.set(Some(e)),
            }
        });
    };
    let start_over = move |_| {
        if users() == 0 {
            clear();
        } else {
            confirming.set(true);
        }
    };
    let keep = move |_| {
        confirming.set(false);
        if let Some(button) = start_over_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let loses = move || i18n.count(users() as u64, Msg::StartOverLosesOne, Msg::StartOverLoses);
    let body = move || match step.get() {
        WizardStep::Organization => view! { <organization::ChooseOrganization/> }.into_any(),
        WizardStep::Kvk => view! { <organization::CheckKvk/> }.into_any(),
        WizardStep::OrganizationDetails => {
            view! { <organization::OrganizationDetails/> }.into_any()
        }
        WizardStep::Users => view! { <users::UsersStep/> }.into_any(),
        WizardStep::Authorizations => view! { <authorizations::AuthorizationsStep/> }.into_any(),
        WizardStep::Summary => view! { <summary::SummaryStep/> }.into_any(),
    };
    view! {
        <Show when=move || wizard.submitted.with(Option::is_none) fallback=move || view! { <summary::Submitted/> }>
            <section class="card wizard" aria-busy=move || wizard.submitting.get().to_string()>
                <h1>{tr(Msg::AddUsersTitle)}</h1>
                <ol class="steps" aria-label=tr(Msg::Steps)>{progress}</ol>
                <div class="wizard-tools">
                    <p class="save-state" role="status">{save_state}</p>
                    <button type="button" class="link" node_ref=start_over_button
                        disabled=move || wizard.submitting.get() on:click=start_over>{tr(Msg::StartOverWizard)}</button>
                </div>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="group" aria-label=tr(Msg::StartOverQuestion)>
                        <p><strong>{tr(Msg::StartOverQuestion)}</strong> " " {loses}</p>
                        <button type="button" class="danger" on:click=move |_| clear()>{tr(Msg::YesClearAll)}</button>
                        <button type="button" class="secondary" on:click=keep>{tr(Msg::Cancel)}</button>
                    </div>
                </Show>
                {body}
            </section>
            // Outside the busy wizard, so it is announced while the wizard waits.
            <p class="sr-only" role="status">
                {move || wizard.submitting.get().then(|| i18n.t(Msg::SendingApplication))}
            </p>
        </Show>
    }
}

/// The error the server gave, if it concerns `field`, translated.
pub fn field_error(wizard: Wizard, field: Field) -> impl Fn() -> Option<String> + Copy {
    let i18n = use_i18n();
    move || wizard.error.with(|e| i18n.field_error(e.as_ref(), field))
}

/// Whether a step shows `error` at its field rather than above the step.
fn shown_at_field(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Validation {
            field: Field::Level
                | Field::Kvk
                | Field::Branch
                | Field::Services
                | Field::Validity
                | Field::Terms
                | Field::Csv,
            row: None,
            ..
        }
    )
}

/// What a failed "Akkoord" means for the application, then why it failed (unless the field
/// shows that). An answer from the server means nothing was sent: a submit is one transaction.
/// Without an answer it is unknown, and sending again is safe: the server returns the first
/// application for the same draft.
pub fn submit_failure_text(i18n: I18n, error: &ApiError) -> String {
    if matches!(error, ApiError::Network) {
        return i18n.t(Msg::SubmitOutcomeUnknown).to_string();
    }
    let nothing_sent = i18n.t(Msg::NothingSent);
    if shown_at_field(error) {
        nothing_sent.to_string()
    } else {
        format!("{nothing_sent} {}", i18n.error(error))
    }
}

/// An error that does not belong to one field; after a failed "Akkoord", also what it means
/// for the application (the summary says that next to its button).
#[component]
pub fn StepError() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    move || {
        let failed = wizard.submit_failed.get();
        if failed && wizard.draft.with(|d| d.step == WizardStep::Summary) {
            return None;
        }
        wizard.error.get().and_then(|e| {
            let text = if failed {
                Some(submit_failure_text(i18n, &e))
            } else if shown_at_field(&e) {
                None
            } else {
                Some(i18n.error(&e))
            };
            text.map(|text| view! { <p class="error" role="alert">{text}</p> })
        })
    }
}

/// Back and Next (or another label) at the bottom of a step.
#[component]
pub fn StepButtons(
    #[prop(optional)] back: Option<WizardStep>,
    #[prop(into)] next_label: Signal<&'static str>,
    #[prop(into)] next_disabled: Signal<bool>,
    on_next: impl Fn() + 'static,
) -> impl IntoView {
    let wizard = use_wizard();
    view! {
        <div class="step-buttons">
            {back.map(|b| view! {
                <button type="button" class="secondary" on:click=move |_| wizard.go(b)>{tr(Msg::Back)}</button>
            })}
            <button type="button" class="primary" disabled=next_disabled on:click=move |_| on_next()>
                {next_label}
            </button>
        </div>
    }
}
