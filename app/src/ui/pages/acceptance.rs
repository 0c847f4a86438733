//! The invitation link, on the new user's phone: check the details, confirm with the blue
//! button, check the mobile number, enter the SMS code, choose a username and password, check
//! the summary and "Bestel", then "Afsluiten". The server says which step the link is at, so
//! opening the link again resumes there. This page has its own small bundle (`accept` feature).

use crate::api::acceptance::{
    choose_credentials, confirm_details, open_invitation, order, send_code, verify_code,
    Invitation, Ordered,
};
use crate::api::ApiError;
use crate::domain::acceptance::Step;
use crate::domain::codes::{Field, Rule};
use crate::domain::otp::OneTimeCode;
use crate::domain::password;
use crate::domain::username::Username;
use crate::ui::components::password_checklist::PasswordChecklist;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The answer to the invitation request the boot script started while the wasm downloaded
/// (`window.machtigInvitation`: a promise of [HTTP status, body]), taken once. None when there
/// is none or it failed: then the page asks again.
#[cfg(feature = "accept")]
async fn prefetched() -> Option<Result<Invitation, ApiError>> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("machtigInvitation");
    let promise = js_sys::Reflect::get(&window, &key)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let answer: js_sys::Array = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let status = answer.get(0).as_f64()?;
    let body = answer.get(1).as_string()?;
    if status == 200.0 {
        serde_json::from_slice(body.as_bytes()).ok().map(Ok)
    } else {
        serde_json::from_slice(body.as_bytes()).ok().map(Err)
    }
}

#[cfg(not(feature = "accept"))]
async fn prefetched() -> Option<Result<Invitation, ApiError>> {
    None
}

/// What the page shows.
#[derive(Clone, PartialEq)]
enum View {
    Loading,
    /// Expired, used, cancelled or unknown: one page for all.
    Invalid,
    At(Box<Invitation>),
    Done(Ordered),
}

const STEPS: usize = 6;

fn step_number(step: Step) -> usize {
    match step {
        Step::Details => 1,
        Step::Mobile => 2,
        Step::Code => 3,
        Step::Credentials => 4,
        Step::Summary => 5,
    }
}

#[component]
pub fn Acceptance(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(View::Loading);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);

    // Every call answers with the invitation as it now stands, or an error.
    let apply = move |result: Result<Invitation, ApiError>| match result {
        Ok(invitation) => {
            error.set(None);
            state.set(View::At(Box::new(invitation)));
        }
        Err(ApiError::NotFound) => state.set(View::Invalid),
        Err(e) => error.set(Some(e)),
    };
    spawn_local(async move {
        let first = match prefetched().await {
            Some(answer) => answer,
            None => open_invitation(token.get_value()).await,
        };
        apply(first)
    });

    let run = move |call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Invitation, ApiError>>>,
    >| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            apply(call.await);
            busy.set(false);
        });
    };

    // A new step (not the first one shown): its heading takes the focus, as a new page's does.
    let shown_step = Memo::new(move |_| {
        state.with(|s| match s {
            View::At(invitation) => Some(step_number(invitation.step)),
            View::Done(_) => Some(STEPS + 1),
            View::Loading | View::Invalid => None,
        })
    });
    Effect::new(move |previous: Option<Option<usize>>| {
        let now = shown_step.get();
        if previous.is_some_and(|p| p.is_some() && p != now) {
            crate::ui::page::focus_heading("main h1");
        }
        now
    });

    let on_confirm = move |_| run(Box::pin(confirm_details(token.get_value())));
    let on_send = move |_| run(Box::pin(send_code(token.get_value())));

    let error_view = move || {
        error
            .get()
            .map(|e| view! { <p class="error" role="alert">{i18n.error(&e)}</p> })
    };

    let body = move || match state.get() {
        View::Loading => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        View::Invalid => view! {
            <h1>{tr(Msg::LinkInvalidTitle)}</h1>
            <p>{tr(Msg::LinkInvalidText)}</p>
        }
        .into_any(),
        View::Done(ordered) => view! { <Finished ordered=ordered/> }.into_any(),
        View::At(inv) => {
            let inv = *inv;
            let n = step_number(inv.step);
            let counter = move || {
                i18n.t(Msg::StepNOfM)
                    .replace("{n}", &n.to_string())
                    .replace("{m}", &STEPS.to_string())
            };
            let org = inv.organization.clone();
            let org2 = org.clone();
            let content = match inv.step {
                Step::Details => view! {
                    <h1>{tr(Msg::AcceptDetailsTitle)}</h1>
                    <p>{move || i18n.t(Msg::AcceptDetailsIntro).replace("{org}", &org)}</p>
                    <Overview inv=inv.clone()/>
                    <p class="hint">{move || i18n.t(Msg::AcceptDetailsWrong).replace("{org}", &org2)}</p>
                    {error_view}
                    <button type="button" class="primary wide" disabled=busy on:click=on_confirm>
                        {tr(Msg::AcceptDetailsButton)}
                    </button>
                }
                .into_any(),
                Step::Mobile => view! {
                    <h1>{tr(Msg::AcceptMobileTitle)}</h1>
                    <p>{tr(Msg::AcceptMobileIntro)}</p>
                    <p class="big-number">{inv.mobile.clone()}</p>
                    <p class="hint">{move || i18n.t(Msg::AcceptMobileWrong).replace("{org}", &org)}</p>
                    {error_view}
                    <button type="button" class="primary wide" disabled=busy on:click=on_send>
                        {tr(Msg::Next)}
                    </button>
                }
                .into_any(),
                Step::Code => view! { <CodeStep inv=inv token=token busy=busy error=error apply=apply/> }.into_any(),
                Step::Credentials => view! { <CredentialsStep token=token busy=busy error=error apply=apply/> }.into_any(),
                Step::Summary => {
                    let on_order = move |_| {
                        if busy.get_untracked() {
                            return;
                        }
                        busy.set(true);
                        spawn_local(async move {
                            match order(token.get_value()).await {
                                Ok(done) => state.set(View::Done(done)),
                                Err(ApiError::NotFound) => state.set(View::Invalid),
                                Err(e) => error.set(Some(e)),
                            }
                            busy.set(false);
                        });
                    };
                    let employed = inv.employed;
                    view! {
                        <h1>{tr(Msg::AcceptSummaryTitle)}</h1>
                        <Overview inv=inv.clone()/>
                        <Show when=move || !employed>
                            <p class="hint">{tr(Msg::AcceptNotEmployedNote)}</p>
                        </Show>
                        {error_view}
                        <button type="button" class="primary wide" disabled=busy on:click=on_order>
                            {tr(Msg::Order)}
                        </button>
                    }
                    .into_any()
                }
            };
            view! {
                <p class="step-count">{counter}</p>
                {content}
            }
            .into_any()
        }
    };

    view! { <section class="card accept">{body}</section> }
}

/// The application as the user checks it.
#[component]
fn Overview(inv: Invitation) -> impl IntoView {
    let i18n = use_i18n();
    let authorizations = {
        let inv = inv.clone();
        move || {
            if !inv.with_authorizations {
                i18n.t(Msg::NoAuthorizations).to_string()
            } else if inv.all_services {
                format!("{} ({})", i18n.t(Msg::AllServices), inv.level)
            } else {
                inv.services.join(", ")
            }
        }
    };
    let years = inv.validity_years;
    let validity = move || i18n.t(Msg::NYears).replace("{n}", &years.to_string());
    let row = |label: Msg, value: String| view! { <dt>{tr(label)}</dt><dd>{value}</dd> };
    view! {
        <dl class="details stacked">
            {row(Msg::Name, inv.name.clone())}
            {inv.date_of_birth.clone().map(|d| row(Msg::DateOfBirth, d))}
            {row(Msg::Email, inv.email.clone())}
            {row(Msg::Mobile, inv.mobile.clone())}
            {row(Msg::Organization, format!("{} (KvK {})", inv.organization, inv.kvk))}
            {inv.branch.clone().map(|b| row(Msg::Branch, b))}
            {row(Msg::Level, inv.level.clone())}
            <dt>{tr(Msg::StepAuthorizations)}</dt><dd>{authorizations}</dd>
            <dt>{tr(Msg::Validity)}</dt><dd>{validity}</dd>
            {inv.username.clone().map(|u| row(Msg::Username, u))}
        </dl>
    }
}

#[component]
fn CodeStep(
    inv: Invitation,
    token: StoredValue<String>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    apply: impl Fn(Result<Invitation, ApiError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let sent = inv
        .code
        .clone()
        .unwrap_or(crate::api::acceptance::CodeSent {
            sent_to: String::new(),
            resend_in_secs: 0,
            resends_left: 0,
        });
    // Seconds until a new code may be asked, counted down in the browser.
    let wait = RwSignal::new(sent.resend_in_secs);
    let resends_left = sent.resends_left;
    let handle = set_interval_with_handle(
        move || {
            if wait.get_untracked() > 0 {
                wait.update(|w| *w -= 1);
            }
        },
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // The server's rule, answered at once.
        if OneTimeCode::parse(&code.get_untracked()).is_err() {
            error.set(Some(ApiError::validation(Field::Code, Rule::Format)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = verify_code(token.get_value(), code.get_untracked()).await;
            if result.is_err() {
                code.set(String::new());
            }
            apply(result);
            busy.set(false);
        });
    };
    let resend = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = send_code(token.get_value()).await;
            if result.is_ok() {
                code.set(String::new());
            }
            apply(result);
            busy.set(false);
        });
    };
    let sent_to = sent.sent_to.clone();
    view! {
        <h1>{tr(Msg::AcceptCodeTitle)}</h1>
        <p>{move || i18n.t(Msg::CodeSentTo).replace("{n}", &sent_to)}</p>
        <form on:submit=submit novalidate>
            <label for="code">{tr(Msg::OneTimeCode)}</label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"
                maxlength="6" pattern="[0-9]{6}" required class="code"
                aria-describedby="code-error"
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/>
            <p id="code-error" class="field-error" role="alert">
                {move || error.get().map(|e| match e {
                    ApiError::CodeExpired => i18n.t(Msg::ErrCodeDead).to_string(),
                    ApiError::TooManyAttempts { .. } => i18n.t(Msg::ErrWaitForCode).to_string(),
                    e => i18n.error(&e),
                })}
            </p>
            <button type="submit" class="primary wide" disabled=busy>{tr(Msg::Next)}</button>
        </form>
        <Show
            when=move || { resends_left > 0 }
            fallback=move || view! { <p class="hint">{tr(Msg::NoMoreCodes)}</p> }
        >
            <button type="button" class="link" disabled=move || busy.get() || (wait.get() > 0) on:click=resend>
                {move || {
                    let w = wait.get();
                    if w > 0 {
                        i18n.t(Msg::NewCodeIn).replace("{n}", &w.to_string())
                    } else {
                        i18n.t(Msg::NewCode).replace("{n}", &resends_left.to_string())
                    }
                }}
            </button>
        </Show>
    }
}

#[component]
fn CredentialsStep(
    token: StoredValue<String>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    apply: impl Fn(Result<Invitation, ApiError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    // Problems at their fields: (field, message).
    let problem = move |field: Field| {
        move || match error.get() {
            Some(ApiError::Validation { field: f, rule, .. }) if f == field => {
                Some(i18n.rule(f, rule))
            }
            _ => None,
        }
    };
    let other_error = move || match error.get() {
        Some(ApiError::Validation { .. }) | None => None,
        Some(e) => Some(view! { <p class="error" role="alert">{i18n.error(&e)}</p> }),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // The same rules as the server's, answered at once.
        let name = username.get_untracked();
        let pw = new_password.get_untracked();
        let local = if Username::parse(&name).is_err() {
            Some(ApiError::validation(Field::Username, Rule::Invalid))
        } else if let Some(rule) = password::check(&pw, &name).first_failure() {
            Some(ApiError::validation(Field::Password, rule.into()))
        } else if pw != repeat.get_untracked() {
            Some(ApiError::validation(Field::Repeat, Rule::Differs))
        } else {
            None
        };
        if local.is_some() {
            error.set(local);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            apply(choose_credentials(token.get_value(), name, pw).await);
            busy.set(false);
        });
    };
    view! {
        <h1>{tr(Msg::AcceptCredentialsTitle)}</h1>
        <p>{tr(Msg::AcceptCredentialsIntro)}</p>
        {other_error}
        <form on:submit=submit novalidate>
            <label for="new-username">{tr(Msg::Username)}</label>
            <input id="new-username" name="username" autocomplete="username" autocapitalize="none"
                spellcheck="false" required aria-describedby="username-hint username-error"
                prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
            <p id="username-hint" class="hint">{tr(Msg::UsernameHint)}</p>
            <p id="username-error" class="field-error" role="alert">{problem(Field::Username)}</p>
            <label for="new-password">{tr(Msg::Password)}</label>
            <input id="new-password" name="password" type="password" autocomplete="new-password" required
                aria-describedby="password-rules password-error"
                prop:value=new_password on:input=move |ev| new_password.set(event_target_value(&ev))/>
            <PasswordChecklist password=new_password username=username/>
            <p id="password-error" class="field-error" role="alert">{problem(Field::Password)}</p>
            <label for="repeat-password">{tr(Msg::RepeatPassword)}</label>
            <input id="repeat-password" name="repeat" type="password" autocomplete="new-password" required
                aria-describedby="repeat-error"
                prop:value=repeat on:input=move |ev| repeat.set(event_target_value(&ev))/>
            <p id="repeat-error" class="field-error" role="alert">{problem(Field::Repeat)}</p>
            <button type="submit" class="primary wide" disabled=busy>{tr(Msg::Next)}</button>
        </form>
    }
}

#[component]
fn Finished(ordered: Ordered) -> impl IntoView {
    let i18n = use_i18n();
    let close = move |_| {
        #[cfg(feature = "csr")]
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign("/inloggen");
        }
    };
    let text = match ordered {
        Ordered::Issued { username } => view! {
            <p class="success">{move || i18n.t(Msg::AcceptIssued).replace("{u}", &username)}</p>
        }
        .into_any(),
        Ordered::IdentityVerification { url, deadline } => view! {
            <p>{move || i18n.t(Msg::AcceptVerification).replace("{d}", &deadline)}</p>
            <p><a href=url rel="noopener">{tr(Msg::StartVerification)}</a></p>
        }
        .into_any(),
        Ordered::VerificationRequested => {
            view! { <p>{tr(Msg::AcceptVerificationFollows)}</p> }.into_any()
        }
    };
    view! {
        <p class="step-count">{move || i18n.t(Msg::StepNOfM).replace("{n}", "6").replace("{m}", "6")}</p>
        <h1>{tr(Msg::AcceptDoneTitle)}</h1>
        {text}
        <button type="button" class="primary wide" on:click=close>{tr(Msg::Close)}</button>
    }
}
