//! Beheer > Machtigingen: every authorization of the manager's organizations, with filters,
//! keyset paging, the export of what the filters show, the trash can on each row, and renewing
//! (one, or many chosen with checkboxes, also from "Verloopt binnenkort").

mod renewal;
pub mod request;

use crate::api::authorizations::{
    appoint_manager, ending_soon, filter_options, list_authorizations, revoke_authorization,
    AuthorizationFilter, AuthorizationRow, AuthorizationsCursor, AuthorizationsPage,
};
use crate::api::ApiError;
use crate::domain::authorization::State;
use crate::domain::ids::AuthorizationId;
use crate::domain::ids::{OrgId, ServiceId};
use crate::domain::level::AssuranceLevel;
use crate::ui::components::pager::Pager;
use crate::ui::debounce::Search;
use crate::ui::fetch::{fetch, Fetched};
use crate::ui::i18n::{tr, use_i18n, I18n, Msg};
use crate::ui::page::focus_new_heading;
use crate::ui::session::require_sign_in;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use renewal::RenewalPanel;

fn state_text(i18n: I18n, state: State) -> &'static str {
    i18n.t(match state {
        State::Pending => Msg::AuthPending,
        State::Active => Msg::AuthActive,
        State::Expired => Msg::AuthExpired,
        State::Revoked => Msg::AuthRevoked,
    })
}

/// What the authorization lets the user do: a service, all services, or managing.
pub(super) fn subject(i18n: I18n, service: &Option<String>, is_admin: bool) -> String {
    match (service, is_admin) {
        (_, true) => i18n.t(Msg::ManagingAuthorizations).to_string(),
        (Some(service), false) => service.clone(),
        (None, false) => i18n.t(Msg::AllServices).to_string(),
    }
}

#[component]
pub fn Authorizations() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let filter = RwSignal::new(AuthorizationFilter::default());
    // cursors[n] is where page n + 1 starts; the last one is the page shown.
    let cursors = RwSignal::new(vec![None::<AuthorizationsCursor>]);
    let options = fetch(filter_options);
    let page = fetch(move || {
        let after = cursors.with(|c| c.last().cloned().flatten());
        list_authorizations(filter.get(), after)
    });
    let notice = RwSignal::new(None::<Result<String, String>>);
    let ending = fetch(ending_soon);
    let chosen = RwSignal::new(Vec::<AuthorizationId>::new());
    let renewing = RwSignal::new(false);
    let renewed = move |n: u32| {
        renewing.set(false);
        chosen.set(Vec::new());
        notice.set(Some(Ok(i18n.count(
            u64::from(n),
            Msg::RenewedOne,
            Msg::RenewedMany,
        ))));
        page.refetch();
        ending.refetch();
    };
    let renew = move |ids: Vec<AuthorizationId>| {
        chosen.set(ids);
        renewing.set(true);
        notice.set(None);
        focus_new_heading("#renewal-title");
    };
    let change = move |edit: &dyn Fn(&mut AuthorizationFilter)| {
        filter.update(|f| edit(f));
        cursors.set(vec![None]);
        notice.set(None);
    };
    // The user search asks the server once typing pauses.
    let user_search = Search::new();
    Effect::new(move |_| {
        let user = user_search.settled.get();
        if filter.with_untracked(|f| f.user != user) {
            change(&|f| f.user = user.clone());
        }
    });
    let export = move || {
        format!(
            "/export/machtigingen.csv?{}",
            filter.with(|f| f.export_query())
        )
    };

    view! {
        <section class="card wide">
            <h1>{tr(Msg::Authorizations)}</h1>
            <p>{tr(Msg::AuthorizationsIntro)}</p>
            {move || ending.value.get().and_then(Result::ok).map(|counts| view! {
                <div class="ending" role="group" aria-label=i18n.t(Msg::EndingSoon)>
                    <strong>{i18n.t(Msg::EndingSoon)}</strong>
                    {counts.into_iter().map(|(days, n)| {
                        let text = i18n.t(Msg::EndingWithin).replace("{n}", &n.to_string()).replace("{d}", &days.to_string());
                        view! {
                            <button type="button" class="link" aria-pressed=move || (filter.with(|f| f.ending_within_days) == Some(days)).to_string()
                                on:click=move |_| change(&|f| f.ending_within_days = Some(days))>{text}</button>
                        }
                    }).collect_view()}
                </div>
            })}
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <div>
                    <label for="f-org">{tr(Msg::Organization)}</label>
                    <select id="f-org" on:change=move |ev| {
                        let org = OrgId::parse(&event_target_value(&ev)).ok();
                        change(&|f| f.org_id = org.clone());
                    }>
                        <option value="">{tr(Msg::AllOrganizations)}</option>
                        {move || options.value.get().and_then(Result::ok).map(|o| o.organizations).unwrap_or_default()
                            .into_iter().map(|o| view! { <option value=o.id>{o.name}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="f-user">{tr(Msg::User)}</label>
                    <input id="f-user" type="search" maxlength="100" autocomplete="off"
                        placeholder=tr(Msg::SearchHint)
                        on:input=move |ev| user_search.typed.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="f-service">{tr(Msg::Service)}</label>
                    <select id="f-service" on:change=move |ev| {
                        let service = ServiceId::parse(&event_target_value(&ev)).ok();
                        change(&|f| f.service = service.clone());
                    }>
                        <option value="">{tr(Msg::AnyService)}</option>
                        {move || options.value.get().and_then(Result::ok).map(|o| o.services).unwrap_or_default()
                            .into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="f-level">{tr(Msg::LevelShort)}</label>
                    <select id="f-level" on:change=move |ev| {
                        let level = AssuranceLevel::parse(&event_target_value(&ev)).ok();
                        change(&|f| f.level = level);
                    }>
                        <option value="">{tr(Msg::AllLevels)}</option>
                        {AssuranceLevel::ALL.into_iter().map(|l| view! { <option value=l.as_str()>{l.as_str()}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="f-state">{tr(Msg::StatusFilter)}</label>
                    <select id="f-state" on:change=move |ev| {
                        let state = State::parse(&event_target_value(&ev));
                        change(&|f| f.state = state);
                    }>
                        <option value="">{tr(Msg::AllStatuses)}</option>
                        {State::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || state_text(i18n, s)}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="f-ending">{tr(Msg::EndingSoon)}</label>
                    <select id="f-ending" prop:value=move || filter.with(|f| f.ending_within_days.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| {
                            let days = event_target_value(&ev).parse::<u16>().ok();
                            change(&|f| f.ending_within_days = days);
                        }>
                        <option value="">{tr(Msg::AnyEndDate)}</option>
                        {crate::api::authorizations::ENDING_WITHIN.into_iter().map(|d| view! {
                            <option value=d.to_string()>{move || i18n.t(Msg::WithinDays).replace("{d}", &d.to_string())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="check">
                    <input id="f-inactive" type="checkbox" on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        change(&|f| f.include_inactive = on);
                    }/>
                    <label for="f-inactive">{tr(Msg::ShowInactive)}</label>
                </div>
            </form>
            // Typed but not yet asked, or asked and not yet answered.
            <p class="loading" role="status">
                {move || (page.pending.get() || user_search.waiting())
                    .then(|| i18n.t(Msg::Searching))}
            </p>
            <div aria-live="polite">
                {move || notice.get().map(|n| match n {
                    Ok(text) => view! { <p class="success">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
                })}
            </div>
            <Rows page cursors notice chosen renew/>
            <p class="page-actions">
                <button type="button" class="secondary" disabled=move || chosen.with(Vec::is_empty)
                    on:click=move |_| renew(chosen.get())>
                    {move || i18n.t(Msg::RenewChosen).replace("{n}", &chosen.with(Vec::len).to_string())}
                </button>
            </p>
            <Show when=move || renewing.get() && chosen.with(|c| !c.is_empty())>
                <RenewalPanel chosen open=renewing done=renewed/>
            </Show>
            <p class="page-actions">
                <a href=export rel="external" download class="button secondary">{tr(Msg::ExportCsv)}</a>
                <A href="/beheer/machtigingen/aanvragen" attr:class="button add">{tr(Msg::RequestAuthorizations)}</A>
                <A href="/beheer/gebruikers/toevoegen" attr:class="button add">{tr(Msg::RequestNewMeans)}</A>
            </p>
        </section>
    }
}

type Page = Fetched<Result<AuthorizationsPage, ApiError>>;
type Notice = RwSignal<Option<Result<String, String>>>;

#[component]
fn Rows(
    page: Page,
    cursors: RwSignal<Vec<Option<AuthorizationsCursor>>>,
    notice: Notice,
    chosen: RwSignal<Vec<AuthorizationId>>,
    renew: impl Fn(Vec<AuthorizationId>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let Some(result) = page.value.get() else {
            return view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any();
        };
        match result {
            Err(e) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            Ok(p) if p.rows.is_empty() => {
                view! { <p>{i18n.t(Msg::NoAuthorizationsFound)}</p> }.into_any()
            }
            Ok(p) => {
                let next = p.next.clone();
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table>
                            <caption class="sr-only">{i18n.t(Msg::Authorizations)}</caption>
                            <thead><tr>
                                <th scope="col"><span class="sr-only">{i18n.t(Msg::Choose)}</span></th>
                                <th scope="col">{i18n.t(Msg::User)}</th>
                                <th scope="col">{i18n.t(Msg::Organization)}</th>
                                <th scope="col">{i18n.t(Msg::Service)}</th>
                                <th scope="col">{i18n.t(Msg::LevelShort)}</th>
                                <th scope="col">{i18n.t(Msg::Branch)}</th>
                                <th scope="col">{i18n.t(Msg::ValidFrom)}</th>
                                <th scope="col">{i18n.t(Msg::ValidUntil)}</th>
                                <th scope="col">{i18n.t(Msg::StatusFilter)}</th>
                                <th scope="col"><span class="sr-only">{i18n.t(Msg::Actions)}</span></th>
                            </tr></thead>
                            <tbody>
                                {p.rows.into_iter().map(|row| view! { <Row row page notice chosen renew/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager cursors next/>
                }
                .into_any()
            }
        }
    }
}

/// One authorization, with the trash can and its confirmation (which says what the user loses).
#[component]
fn Row(
    row: AuthorizationRow,
    page: Page,
    notice: Notice,
    chosen: RwSignal<Vec<AuthorizationId>>,
    renew: impl Fn(Vec<AuthorizationId>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(false);
    let what = subject(i18n, &row.service, row.is_admin);
    let id = StoredValue::new(row.id.clone());
    let can_revoke = matches!(row.state, State::Active | State::Pending);
    let label = format!("{}: {} – {}", i18n.t(Msg::Revoke), row.user_name, what);
    let loses = i18n
        .t(Msg::RevokeLoses)
        .replace("{u}", &row.user_name)
        .replace("{o}", &row.organization)
        .replace("{s}", &what);
    let revoke = move |_| {
        spawn_local(async move {
            confirming.set(false);
            match revoke_authorization(id.get_value()).await {
                Ok(()) => {
                    notice.set(Some(Ok(i18n.t(Msg::AuthorizationRevoked).to_string())));
                    page.refetch();
                }
                Err(e) => notice.set(Some(Err(i18n.error(&e)))),
            }
        });
    };
    let state = row.state;
    let renewable = matches!(state, State::Active | State::Expired);
    let choose_label = format!("{}: {} – {}", i18n.t(Msg::Choose), row.user_name, what);
    let renew_label = format!(
        "{}: {} – {}",
        i18n.t(if state == State::Expired {
            Msg::Activate
        } else {
            Msg::Renew
        }),
        row.user_name,
        what
    );
    let is_chosen = move || id.with_value(|id| chosen.with(|c| c.contains(id)));
    let appointing = RwSignal::new(false);
    let can_appoint = state == State::Active && !row.is_admin && !row.user_is_manager;
    let appoint_label = format!(
        "{}: {} – {}",
        i18n.t(Msg::MakeManager),
        row.user_name,
        row.organization
    );
    let what_is = i18n
        .t(Msg::WhatIsAManager)
        .replace("{o}", &row.organization)
        .replace("{u}", &row.user_name);
    let appointed = crate::domain::text::tidy(
        &i18n
            .t(Msg::ManagerAppointed)
            .replace("{u}", &row.user_name)
            .replace("{o}", &row.organization),
    );
    let (org_id, user_id) = (
        StoredValue::new(row.org_id.clone()),
        StoredValue::new(row.user_id.clone()),
    );
    let appoint = move |_| {
        let appointed = appointed.clone();
        spawn_local(async move {
            appointing.set(false);
            match appoint_manager(org_id.get_value(), user_id.get_value()).await {
                Ok(()) => {
                    notice.set(Some(Ok(appointed)));
                    page.refetch();
                }
                Err(e) => notice.set(Some(Err(i18n.error(&e)))),
            }
        });
    };
    view! {
        <tr>
            <td>
                <Show when=move || renewable>
                    <input type="checkbox" aria-label=choose_label.clone() prop:checked=is_chosen
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let id = id.get_value();
                            chosen.update(|c| {
                                c.retain(|x| *x != id);
                                if on { c.push(id); }
                            });
                        }/>
                </Show>
            </td>
            <td>{row.user_name.clone()}<br/><small>{row.user_email.clone()}</small></td>
            <td>{row.organization.clone()}</td>
            <td>{what.clone()}
                {row.is_admin.then(|| view! { " " <span class="badge">{tr(Msg::ManagerBadge)}</span> })}</td>
            <td>{row.level.as_str()}</td>
            <td>{row.branch.clone().unwrap_or_else(|| "–".into())}</td>
            <td class="nowrap">{move || i18n.date(row.valid_from)}</td>
            <td class="nowrap">{move || i18n.date(row.valid_until)}</td>
            <td>{move || state_text(i18n, state)}</td>
            <td class="actions">
                <Show when=move || renewable>
                    <button type="button" class="link" aria-label=renew_label.clone()
                        on:click=move |_| renew(vec![id.get_value()])>
                        {move || i18n.t(if state == State::Expired { Msg::Activate } else { Msg::Renew })}
                    </button>
                </Show>
                <Show when=move || can_appoint>
                    <button type="button" class="link" aria-label=appoint_label.clone()
                        on:click=move |_| appointing.set(true)>{tr(Msg::MakeManager)}</button>
                </Show>
                <Show when=move || appointing.get()>
                    <div class="confirm" role="group" aria-label=tr(Msg::MakeManagerQuestion)>
                        <p><strong>{tr(Msg::MakeManagerQuestion)}</strong> " " {what_is.clone()}</p>
                        <button type="button" class="primary" on:click=appoint.clone()>{tr(Msg::YesMakeManager)}</button>
                        <button type="button" class="secondary" on:click=move |_| appointing.set(false)>{tr(Msg::Cancel)}</button>
                    </div>
                </Show>
                <Show when=move || can_revoke>
                    <button type="button" class="icon danger" aria-label=label.clone() title=tr(Msg::Revoke)
                        on:click=move |_| confirming.set(true)>
                        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9zm4 2v8h2v-8h-2zm4 0v8h2v-8h-2z"/></svg>
                    </button>
                </Show>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="group" aria-label=tr(Msg::RevokeQuestion)>
                        <p><strong>{tr(Msg::RevokeQuestion)}</strong> " " {loses.clone()}</p>
                        <button type="button" class="danger" on:click=revoke>{tr(Msg::YesRevoke)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{tr(Msg::Cancel)}</button>
                    </div>
                </Show>
            </td>
        </tr>
    }
}
