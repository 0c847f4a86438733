//! Beheer > Koppelverzoeken: link an existing user to one more of the manager's organizations
//! (seed 003, "Nieuwe aanvraag"): the organization and the user's e-mail address; the user
//! accepts under Mijn account. Below, the open requests, each with "Intrekken".

use crate::api::link_requests::{send_link_request, sent_link_requests, withdraw_link_request};
use crate::api::new_authorizations::start_request;
use crate::api::ApiError;
use crate::domain::codes::Field;
use crate::domain::ids::OrgId;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, Msg};
use crate::ui::session::require_sign_in;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn LinkRequests() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let start = fetch(start_request);
    let list = fetch(sent_link_requests);
    let org = RwSignal::new(None::<OrgId>);
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let field = move |f: Field| move || error.with(|e| i18n.field_error(e.as_ref(), f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sent.set(None);
        let Some(chosen) = org.get_untracked() else {
            error.set(Some(ApiError::validation(
                Field::Organization,
                crate::domain::codes::Rule::Required,
            )));
            return;
        };
        let address = email.get_untracked();
        // The server's rule for an address, here first, so a typo is answered at once.
        if crate::domain::email::Email::parse(&address).is_err() {
            error.set(Some(ApiError::validation(
                Field::Email,
                crate::domain::codes::Rule::InvalidEmail,
            )));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match send_link_request(chosen, address.clone()).await {
                Ok(()) => {
                    error.set(None);
                    email.set(String::new());
                    sent.set(Some(address));
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let withdraw = move |id| {
        spawn_local(async move {
            if withdraw_link_request(id).await.is_ok() {
                list.refetch();
            }
        });
    };
    view! {
        <section class="card wide">
            <h1>{tr(Msg::LinkRequests)}</h1>
            <p>{tr(Msg::LinkRequestsIntro)}</p>
            <h2>{tr(Msg::NewLinkRequest)}</h2>
            <form on:submit=submit novalidate>
                <label for="l-org">{tr(Msg::Organization)}</label>
                <select id="l-org" aria-describedby="l-org-error" on:change=move |ev| org.set(OrgId::parse(&event_target_value(&ev)).ok())>
                    <option value="">{tr(Msg::ChooseOrganizationOption)}</option>
                    {move || start.value.get().and_then(Result::ok).map(|s| s.organizations).unwrap_or_default()
                        .into_iter().map(|o| view! { <option value=o.id>{o.name}</option> }).collect_view()}
                </select>
                <p class="field-error" id="l-org-error" role="alert">{field(Field::Organization)}</p>
                <label for="l-email">{tr(Msg::UsersEmail)}</label>
                <input id="l-email" type="email" autocomplete="off" maxlength="254" aria-describedby="l-email-error"
                    prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                <p class="field-error" id="l-email-error" role="alert">{field(Field::Email)}</p>
                <button type="submit" class="primary" disabled=move || busy.get()
                    attr:aria-busy=move || busy.get().to_string()>{tr(Msg::SendLinkRequest)}</button>
            </form>
            {move || sent.get().map(|address| view! {
                <p role="status" class="success">{i18n.t(Msg::LinkRequestSent).replace("{e}", &address)}</p>
            })}
            <h2>{tr(Msg::OpenLinkRequests)}</h2>
            {move || match list.value.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! { <p>{tr(Msg::NoOpenLinkRequests)}</p> }.into_any(),
                Some(Ok(rows)) => view! {
                    <div class="table-wrap" tabindex="0">
                        <table>
                            <caption class="sr-only">{tr(Msg::OpenLinkRequests)}</caption>
                            <thead><tr>
                                <th scope="col">{tr(Msg::Email)}</th>
                                <th scope="col">{tr(Msg::Organization)}</th>
                                <th scope="col">{tr(Msg::SentOn)}</th>
                                <th scope="col">{tr(Msg::OpenUntil)}</th>
                                <th scope="col">{tr(Msg::SentBy)}</th>
                                <th scope="col"><span class="sr-only">{tr(Msg::Actions)}</span></th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let id = r.id.clone();
                                    let label = format!("{}: {}", i18n.t(Msg::Withdraw), r.email);
                                    view! {
                                        <tr>
                                            <td>{r.email}</td>
                                            <td>{r.organization}</td>
                                            <td class="nowrap">{i18n.date(r.sent_on)}</td>
                                            <td class="nowrap">{i18n.date(r.open_until)}</td>
                                            <td>{r.sent_by}</td>
                                            <td><button type="button" class="link danger" aria-label=label
                                                on:click=move |_| withdraw(id.clone())>{tr(Msg::Withdraw)}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
