//! Mijn account: the user's own details, the link requests to answer, and changing the
//! password.

use crate::api::account::change_password;
use crate::api::link_requests::{answer_link_request, my_link_requests};
use crate::api::ApiError;
use crate::domain::codes::Field;
use crate::domain::ids::LinkRequestId;
use crate::domain::password::check;
use crate::domain::text::tidy;
use crate::ui::components::password_checklist::PasswordChecklist;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, Msg};
use crate::ui::session::{require_sign_in, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Account() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let username = Signal::derive(move || {
        session
            .me
            .with(|m| m.as_ref().map(|m| m.username.clone()).unwrap_or_default())
    });

    let field_error = move |field: Field| {
        move || match error.get() {
            Some(ApiError::Validation { field: f, .. }) if f == field => {
                error.get().map(|e| i18n.error(&e))
            }
            _ => None,
        }
    };
    let repeat_error = move || {
        (!repeat.get().is_empty() && repeat.get() != new.get())
            .then(|| i18n.t(Msg::PasswordsDiffer))
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        if let Some(rule) = check(&new.get(), &username.get()).first_failure() {
            error.set(Some(ApiError::validation(Field::NewPassword, rule.into())));
            return;
        }
        if new.get() != repeat.get() || busy.get() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match change_password(current.get_untracked(), new.get_untracked()).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    done.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let details = move || {
        session.me.get().map(|me| {
            view! {
                <dl class="details">
                    <dt>{i18n.t(Msg::Name)}</dt><dd>{me.name}</dd>
                    <dt>{i18n.t(Msg::Username)}</dt><dd>{me.username}</dd>
                    <dt>{i18n.t(Msg::Email)}</dt><dd>{me.email}</dd>
                    <dt>{i18n.t(Msg::Mobile)}</dt><dd>{me.mobile}</dd>
                    <dt>{i18n.t(Msg::Level)}</dt><dd>{me.level.as_str()}</dd>
                </dl>
            }
        })
    };
    let other_error = move || match error.get() {
        Some(ApiError::Validation { .. }) | None => None,
        Some(e) => Some(view! { <p class="error" role="alert">{i18n.error(&e)}</p> }),
    };

    view! {
        <section class="card">
            <h1>{tr(Msg::MyAccount)}</h1>
            <h2>{tr(Msg::MyDetails)}</h2>
            {details}
        </section>
        <ReceivedLinkRequests/>
        <section class="card">
            <h2>{tr(Msg::ChangePassword)}</h2>
            <Show when=move || done.get()>
                <p class="success" role="status">{tr(Msg::PasswordChanged)}</p>
            </Show>
            {other_error}
            <form on:submit=submit novalidate>
                <input type="text" name="username" autocomplete="username" prop:value=username hidden readonly/>
                <label for="current-password">{tr(Msg::CurrentPassword)}</label>
                <input id="current-password" type="password" autocomplete="current-password" required
                    aria-describedby="current-password-error"
                    prop:value=current on:input=move |ev| current.set(event_target_value(&ev))/>
                <p class="field-error" id="current-password-error" role="alert">{field_error(Field::CurrentPassword)}</p>
                <label for="new-password">{tr(Msg::NewPassword)}</label>
                <input id="new-password" type="password" autocomplete="new-password" required
                    aria-describedby="new-password-error password-rules"
                    prop:value=new on:input=move |ev| new.set(event_target_value(&ev))/>
                <p class="field-error" id="new-password-error" role="alert">{field_error(Field::NewPassword)}</p>
                <PasswordChecklist password=new username=username/>
                <label for="repeat-password">{tr(Msg::RepeatPassword)}</label>
                <input id="repeat-password" type="password" autocomplete="new-password" required
                    aria-describedby="repeat-password-error"
                    prop:value=repeat on:input=move |ev| repeat.set(event_target_value(&ev))/>
                <p class="field-error" id="repeat-password-error" role="alert">{repeat_error}</p>
                <button type="submit" class="primary" disabled=busy>{tr(Msg::ChangePassword)}</button>
            </form>
        </section>
    }
}

/// Koppelverzoeken: organizations that ask to link the user; accepting makes the user one of
/// the organization's users at once.
#[component]
fn ReceivedLinkRequests() -> impl IntoView {
    let i18n = use_i18n();
    let list = fetch(my_link_requests);
    let answered = RwSignal::new(None::<String>);
    let answer = move |id: LinkRequestId, organization: String, accept: bool| {
        spawn_local(async move {
            if answer_link_request(id, accept).await.is_ok() {
                let msg = if accept {
                    Msg::LinkAccepted
                } else {
                    Msg::LinkDeclined
                };
                answered.set(Some(tidy(&i18n.t(msg).replace("{o}", &organization))));
                list.refetch();
            }
        });
    };
    move || {
        let rows = list.value.get().and_then(Result::ok).unwrap_or_default();
        let status = answered.get();
        (!rows.is_empty() || status.is_some()).then(|| view! {
            <section class="card" aria-labelledby="links-title">
                <h2 id="links-title">{tr(Msg::LinkRequests)}</h2>
                {status.map(|s| view! { <p role="status" class="success">{s}</p> })}
                <ul class="link-requests">
                    {rows.into_iter().map(|r| {
                        let text = i18n.t(Msg::LinkRequestFor)
                            .replace("{m}", &r.sent_by)
                            .replace("{o}", &r.organization)
                            .replace("{d}", &i18n.date(r.sent_on));
                        let (id, org) = (r.id.clone(), r.organization.clone());
                        let (id2, org2) = (r.id, r.organization);
                        view! {
                            <li>
                                <p>{text}</p>
                                <button type="button" class="primary"
                                    on:click=move |_| answer(id.clone(), org.clone(), true)>{tr(Msg::AcceptLink)}</button>
                                " "
                                <button type="button" class="secondary"
                                    on:click=move |_| answer(id2.clone(), org2.clone(), false)>{tr(Msg::DeclineLink)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
