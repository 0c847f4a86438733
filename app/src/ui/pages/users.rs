//! Beheer > Gebruikers: the users of the organizations the manager manages, with search and
//! keyset paging (the browser keeps the cursors of the pages it came through for "Vorige").

use crate::api::users::{list_users, UserState, UsersCursor};
use crate::ui::components::pager::Pager;
use crate::ui::debounce::Search;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, I18n, Msg};
use crate::ui::pages::applications::status_text;
use crate::ui::session::require_sign_in;
use leptos::prelude::*;
use leptos_router::components::A;

fn state_text(i18n: I18n, state: UserState) -> &'static str {
    match state {
        UserState::Active => i18n.t(Msg::AuthActive),
        UserState::Blocked => i18n.t(Msg::UserBlocked),
        UserState::Applying(status) => status_text(i18n, status),
    }
}

#[component]
pub fn Users() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let search = Search::new();
    // cursors[n] is where page n + 1 starts; the last one is the page shown.
    let cursors = RwSignal::new(vec![None::<UsersCursor>]);
    let page = fetch(move || {
        let search = search.settled.get();
        let after = cursors.with(|c| c.last().cloned().flatten());
        list_users(search, after)
    });
    // Typed but not yet asked, or asked and not yet answered.
    let searching = move || page.pending.get() || search.waiting();

    let rows = move || {
        page.value.get().map(|result| match result {
            Err(e) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            Ok(p) if p.rows.is_empty() => view! { <p>{i18n.t(Msg::NoUsersFound)}</p> }.into_any(),
            Ok(p) => {
                let next = p.next.clone();
                view! {
                    <div class="table-wrap" tabindex="0" aria-busy=move || searching().to_string()>
                        <table class="sticky-first">
                            <caption class="sr-only">{i18n.t(Msg::UsersTable)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{i18n.t(Msg::Name)}</th>
                                    <th scope="col">{i18n.t(Msg::Status)}</th>
                                    <th scope="col" class="amount">{i18n.t(Msg::Authorizations)}</th>
                                    <th scope="col">{i18n.t(Msg::Username)}</th>
                                    <th scope="col">{i18n.t(Msg::Email)}</th>
                                    <th scope="col">{i18n.t(Msg::Level)}</th>
                                    <th scope="col">{i18n.t(Msg::Organizations)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {p.rows.into_iter().map(|u| view! {
                                    <tr>
                                        <th scope="row">{u.name}</th>
                                        <td>{state_text(i18n, u.state)}</td>
                                        <td class="amount">{u.authorizations}</td>
                                        <td>{u.username.unwrap_or_else(|| i18n.t(Msg::NotYetChosen).to_string())}</td>
                                        <td>{u.email}</td>
                                        <td>{u.level}</td>
                                        <td>{u.organizations}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager cursors next/>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="card">
            <h1>{tr(Msg::Users)}</h1>
            <p>{tr(Msg::UsersIntro)}</p>
            <div class="search">
                <label for="search">{tr(Msg::Search)}</label>
                <input id="search" type="search" maxlength="100" autocomplete="off"
                    placeholder=tr(Msg::SearchHint)
                    prop:value=search.typed
                    on:input=move |ev| {
                        search.typed.set(event_target_value(&ev));
                        // A new search starts at its first page.
                        if cursors.with_untracked(|c| c.len() > 1) {
                            cursors.set(vec![None]);
                        }
                    }/>
                <p class="loading" role="status">{move || searching().then(|| i18n.t(Msg::Searching))}</p>
            </div>
            {move || rows().unwrap_or_else(|| view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any())}
            <p class="page-actions">
                <A href="/beheer/gebruikers/toevoegen" attr:class="button add">{tr(Msg::AddUsersButton)}</A>
            </p>
        </section>
    }
}
