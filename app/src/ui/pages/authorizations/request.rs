//! Beheer > Machtigingen > "Nieuwe machtigingen aanvragen": for a user who already holds a login
//! means, on one page that opens step by step: organization, user, level (at most the user's
//! means and the manager's own), services ("alle" for the one all-services authorization) and
//! "ook beheerder worden", validity, the live price, the summary and the terms, then "Akkoord".
//! The authorizations are active at once; the user gets an e-mail.

use crate::api::link_requests::send_link_request;
use crate::api::new_authorizations::{
    request_authorizations, request_candidates, start_request, Candidate,
};
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::ids::{OrgId, ServiceId, UserId};
use crate::domain::level::AssuranceLevel;
use crate::domain::new_authorizations::{highest_level, problems, NewAuthorizations};
use crate::domain::tariff::{quote, Quote, Validity};
use crate::ui::components::price::PriceBox;
use crate::ui::components::service_picker::CatalogPicker;
use crate::ui::components::terms::TermsAgreement;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, Msg};
use crate::ui::session::require_sign_in;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RequestAuthorizations() -> impl IntoView {
    require_sign_in();
    let start = fetch(start_request);
    view! {
        <section class="card wide">
            <h1>{tr(Msg::RequestAuthorizations)}</h1>
            {move || match start.value.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => {
                    let i18n = use_i18n();
                    view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any()
                }
                Some(Ok(s)) => view! { <RequestForm start=s/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RequestForm(start: crate::api::new_authorizations::RequestStart) -> impl IntoView {
    let i18n = use_i18n();
    let max_level = start.max_level;
    let prices = StoredValue::new(start.prices);
    let terms_version = start.terms.version;
    let terms = StoredValue::new(start.terms);
    let organizations = start.organizations;
    let req = RwSignal::new(NewAuthorizations::default());
    let user = RwSignal::new(None::<Candidate>);
    let search = RwSignal::new(String::new());
    // "Toon niet-gekoppelde gebruikers": users of the manager's other organizations.
    let unlinked = RwSignal::new(false);
    let link_sent = RwSignal::new(None::<String>);
    let agreed = RwSignal::new(false);
    let tried = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<(u32, String)>);
    // Resumed from the e-mail that says a link request was accepted: the organization and the
    // user come with the address (`?organisatie=…&gebruiker=…`).
    let (resume_org, resume_user) = use_query_map().with_untracked(|q| {
        let org = q
            .get("organisatie")
            .and_then(|o| OrgId::parse(&o).ok())
            .filter(|o| organizations.iter().any(|x| x.id == o.as_str()));
        let user = q.get("gebruiker").and_then(|u| UserId::parse(&u).ok());
        (org, user)
    });
    // The user to choose once the candidates arrive; None afterwards.
    let wanted = RwSignal::new(resume_org.as_ref().and(resume_user));
    let candidates = fetch(move || {
        let org = req.with(|r| r.org_id.clone());
        let text = search.get();
        let other = unlinked.get();
        let only = wanted.get();
        async move {
            match org {
                Some(org) => Some(request_candidates(org, text, other, only).await),
                None => None,
            }
        }
    });
    // Only one organization: it is chosen already.
    if let [only] = organizations.as_slice() {
        let org = OrgId::parse(&only.id).ok();
        req.update(|r| r.org_id = org);
    }
    if resume_org.is_some() {
        req.update(|r| r.org_id = resume_org);
    }
    let edit = move |f: &dyn Fn(&mut NewAuthorizations)| {
        req.update(|r| f(r));
        error.set(None);
    };
    let choose_user = move |c: Candidate| {
        let level = highest_level(c.level, max_level);
        edit(&|r| {
            r.user_id = Some(c.id.clone());
            r.level = Some(level);
            r.services.clear();
            r.all_services = false;
            r.also_manager = false;
        });
        user.set(Some(c));
    };
    Effect::new(move |_| {
        let Some(id) = wanted.get() else { return };
        if candidates.pending.get() {
            return;
        }
        let found = candidates.value.with(|v| match v {
            Some(Some(Ok(list))) => Some(list.iter().find(|c| c.linked && c.id == id).cloned()),
            _ => None,
        });
        let Some(found) = found else { return };
        if let Some(c) = found {
            search.set(c.email.clone());
            choose_user(c);
        }
        wanted.set(None);
    });
    // The browser's own check, the same rules as the server's, plus what the user holds.
    let problem = move |field: Field| -> Option<String> {
        let server = error.with(|e| i18n.field_error(e.as_ref(), field));
        if server.is_some() {
            return server;
        }
        if !tried.get() {
            return None;
        }
        let means = user.with(|u| u.as_ref().map(|u| u.level));
        let local = req.with(|r| problems(r, means, max_level));
        let taken = field == Field::Services
            && user.with(|u| {
                u.as_ref().is_some_and(|u| {
                    req.with(|r| {
                        (r.all_services && u.holds_all_services)
                            || r.chosen_services().iter().any(|s| u.services.contains(s))
                    })
                })
            });
        local
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(f, rule)| i18n.rule(f, rule))
            .or_else(|| taken.then(|| i18n.rule(Field::Services, Rule::Taken)))
    };
    let current_quote = move || -> Option<Quote> {
        let (level, validity, billable) = req.with(|r| (r.level, r.validity, r.billable()));
        prices.with_value(|p| quote(p, level?, validity, 1, billable).ok())
    };
    let submit = move |_| {
        tried.set(true);
        let means = user.with(|u| u.as_ref().map(|u| u.level));
        let blocked = !req.with(|r| problems(r, means, max_level)).is_empty()
            || problem(Field::Services).is_some();
        if blocked || !agreed.get_untracked() {
            return;
        }
        let Some(total) = current_quote().map(|q| q.total_cents) else {
            return;
        };
        busy.set(true);
        let request = req.get_untracked();
        let name = user.with_untracked(|u| u.as_ref().map(|u| u.name.clone()).unwrap_or_default());
        spawn_local(async move {
            match request_authorizations(request, total, terms_version, true).await {
                Ok(n) => done.set(Some((n, name))),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let again = move |_| {
        done.set(None);
        user.set(None);
        search.set(String::new());
        agreed.set(false);
        tried.set(false);
        req.update(|r| {
            *r = NewAuthorizations {
                org_id: r.org_id.clone(),
                ..NewAuthorizations::default()
            }
        });
    };
    let general_error = move || {
        error.with(|e| match e {
            Some(ApiError::Validation { .. }) | None => None,
            Some(other) => Some(i18n.error(other)),
        })
    };
    let org_name = {
        let organizations = organizations.clone();
        move || {
            req.with(|r| {
                r.org_id.as_ref().and_then(|id| {
                    organizations
                        .iter()
                        .find(|o| o.id == id.as_str())
                        .map(|o| o.name.clone())
                })
            })
            .unwrap_or_default()
        }
    };
    let org_name = StoredValue::new(org_name);
    let organizations = StoredValue::new(organizations);

    let org_part = move || {
        view! {
                <fieldset>
                    <legend>"1. "{tr(Msg::Organization)}</legend>
                    <label for="r-org" class="sr-only">{tr(Msg::Organization)}</label>
                    <select id="r-org" aria-describedby="org-error" on:change=move |ev| {
                        let org = OrgId::parse(&event_target_value(&ev)).ok();
                        user.set(None);
                        search.set(String::new());
                        edit(&|r| { *r = NewAuthorizations { org_id: org.clone(), ..NewAuthorizations::default() } });
                    }>
                        <option value="" selected=move || req.with(|r| r.org_id.is_none())>{tr(Msg::ChooseOrganizationOption)}</option>
                        {organizations.with_value(|os| os.iter().map(|o| {
                            let id = o.id.clone();
                            view! { <option value=o.id.clone() selected=move || req.with(|r| r.org_id.as_ref().is_some_and(|x| x.as_str() == id))>{o.name.clone()}</option> }
                        }).collect_view())}
                    </select>
                    <p class="field-error" id="org-error" role="alert">{move || problem(Field::Organization)}</p>
                </fieldset>

    }.into_any()
    };
    let user_part = move || {
        view! {
                <Show when=move || req.with(|r| r.org_id.is_some())>
                    <fieldset>
                        <legend>"2. "{tr(Msg::User)}</legend>
                        <label for="r-user-search">{tr(Msg::SearchUser)}</label>
                        <input id="r-user-search" type="search" maxlength="100" autocomplete="off"
                            placeholder=tr(Msg::SearchHint) prop:value=search
                            on:input=move |ev| search.set(event_target_value(&ev))/>
                        <div class="candidates" aria-describedby="user-error">
                            {move || match candidates.value.get().flatten() {
                                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                                Some(Err(e)) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
                                Some(Ok(list)) if list.is_empty() => view! { <p>{tr(Msg::NoCandidates)}</p> }.into_any(),
                                Some(Ok(list)) => list.into_iter().map(|c| {
                                    if !c.linked {
                                        return unlinked_row(c, req, link_sent).into_any();
                                    }
                                    let id = c.id.clone();
                                    let label = format!("{} · {} · {}", c.name, c.email, c.level.as_str());
                                    view! {
                                        <label class="choice">
                                            <input type="radio" name="r-user"
                                                prop:checked=move || req.with(|r| r.user_id.as_ref() == Some(&id))
                                                on:change=move |_| choose_user(c.clone())/>
                                            {label}
                                        </label>
                                    }.into_any()
                                }).collect_view().into_any(),
                            }}
                        </div>
                        <p class="field-error" id="user-error" role="alert">{move || problem(Field::User)}</p>
                        <label class="choice">
                            <input type="checkbox" prop:checked=unlinked
                                on:change=move |ev| { unlinked.set(event_target_checked(&ev)); link_sent.set(None); }/>
                            {tr(Msg::ShowUnlinked)}
                        </label>
                        {move || link_sent.get().map(|s| view! { <p role="status" class="success">{s}</p> })}
                        <p class="hint"><A href="/beheer/koppelverzoeken">{tr(Msg::LinkUnlisted)}</A></p>
                    </fieldset>
                </Show>

    }.into_any()
    };
    let choices_part = move || {
        view! {
                {move || user.get().map(|u| {
                    let top = highest_level(u.level, max_level);
                    let name = u.name.clone();
                    let is_manager = u.is_manager;
                    view! {
                        <fieldset aria-describedby="level-error">
                            <legend>"3. "{tr(Msg::Level)}</legend>
                            <p class="hint">{i18n.t(Msg::MeansLevel).replace("{u}", &name).replace("{l}", u.level.as_str())}</p>
                            {AssuranceLevel::ALL.into_iter().filter(|l| *l <= top).map(|l| view! {
                                <label class="choice">
                                    <input type="radio" name="r-level" prop:checked=move || req.with(|r| r.level == Some(l))
                                        on:change=move |_| edit(&|r| { r.level = Some(l); r.services.clear(); })/>
                                    {l.as_str()}
                                </label>
                            }).collect_view()}
                            <p class="field-error" id="level-error" role="alert">{move || problem(Field::Level)}</p>
                        </fieldset>
                        <fieldset>
                            <legend>"4. "{tr(Msg::StepAuthorizations)}</legend>
                            {move || if req.with(|r| r.all_services) {
                                view! {
                                    <p class="chosen-all">{tr(Msg::AllServicesChosen)}" "
                                        <button type="button" class="link danger" on:click=move |_| edit(&|r| r.all_services = false)>{tr(Msg::Remove)}</button>
                                    </p>
                                }.into_any()
                            } else {
                                req.with(|r| r.level).map(|level| view! {
                                    <CatalogPicker level=level
                                        chosen=Signal::derive(move || req.with(|r| r.services.iter().map(|s| s.as_str().to_string()).collect()))
                                        add=Callback::new(move |id: String| if let Ok(id) = ServiceId::parse(&id) { edit(&|r| if !r.services.contains(&id) { r.services.push(id.clone()) }) })
                                        remove=Callback::new(move |id: String| edit(&|r| r.services.retain(|s| s.as_str() != id)))
                                        choose_all=Callback::new(move |()| edit(&|r| { r.all_services = true; r.services.clear(); }))/>
                                }).into_any()
                            }}
                            <p class="field-error" id="services-error" role="alert">{move || problem(Field::Services)}</p>
                            {(!is_manager).then(|| view! {
                                <label class="choice">
                                    <input type="checkbox" prop:checked=move || req.with(|r| r.also_manager)
                                        on:change=move |ev| { let on = event_target_checked(&ev); edit(&|r| r.also_manager = on) }/>
                                    {tr(Msg::AlsoManager)}
                                </label>
                                <p class="hint">{move || i18n.t(Msg::WhatIsAManager).replace("{o}", &org_name.with_value(|f| f())).replace("{u}", &name)}</p>
                            })}
                            <p class="field-error" role="alert">{move || problem(Field::Authorization)}</p>
                        </fieldset>
                        <fieldset>
                            <legend>"5. "{tr(Msg::Validity)}</legend>
                            {Validity::ALL.into_iter().map(|v| view! {
                                <label class="choice">
                                    <input type="radio" name="r-validity" prop:checked=move || req.with(|r| r.validity == v)
                                        on:change=move |_| edit(&|r| r.validity = v)/>
                                    {move || i18n.t(if v.years() == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &v.years().to_string())}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    }
                })}

    }.into_any()
    };
    let summary_part = move || {
        view! {
                <Show when=move || user.with(Option::is_some)>
                    <PriceBox quote=Signal::derive(current_quote)/>
                    <h2>{tr(Msg::StepSummary)}</h2>
                    <dl class="details">
                        <dt>{tr(Msg::Organization)}</dt><dd>{move || org_name.with_value(|f| f())}</dd>
                        <dt>{tr(Msg::User)}</dt><dd>{move || user.with(|u| u.as_ref().map(|u| u.name.clone()))}</dd>
                        <dt>{tr(Msg::Level)}</dt><dd>{move || req.with(|r| r.level.map(|l| l.as_str()))}</dd>
                        <dt>{tr(Msg::StepAuthorizations)}</dt><dd>{move || req.with(|r| {
                            let mut parts = Vec::new();
                            if r.all_services {
                                parts.push(i18n.t(Msg::AllServices).to_string());
                            } else if !r.services.is_empty() {
                                parts.push(i18n.count(r.chosen_services().len() as u64, Msg::NServicesOne, Msg::NServices));
                            }
                            if r.also_manager {
                                parts.push(i18n.t(Msg::ManagingAuthorizations).to_string());
                            }
                            parts.join(", ")
                        })}</dd>
                        <dt>{tr(Msg::Validity)}</dt><dd>{move || req.with(|r| {
                            let years = r.validity.years();
                            i18n.t(if years == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &years.to_string())
                        })}</dd>
                    </dl>
                    <TermsAgreement terms=terms.get_value() agreed=agreed error=Signal::derive(move || {
                        (tried.get() && !agreed.get()).then(|| i18n.t(Msg::AgreeFirst).to_string())
                            .or_else(|| problem(Field::Terms))
                    })/>
                    {move || general_error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <div class="step-buttons">
                        <A href="/beheer/machtigingen" attr:class="button secondary">{tr(Msg::Cancel)}</A>
                        <button type="button" class="primary" disabled=move || busy.get()
                            attr:aria-busy=move || busy.get().to_string() on:click=submit>{tr(Msg::Agree)}</button>
                    </div>
                </Show>
    }.into_any()
    };

    view! {
        <Show when=move || done.with(Option::is_some) fallback=move || view! {
            <p>{tr(Msg::RequestIntro)}</p>
            <form class="request" on:submit=|ev| ev.prevent_default() novalidate>
                {org_part()}
                {user_part()}
                {choices_part()}
                {summary_part()}
            </form>
        }>
            {move || done.get().map(|(n, name)| view! {
                <p role="status" class="success">{i18n.count(u64::from(n), Msg::RequestDoneOne, Msg::RequestDone).replace("{u}", &name)}</p>
                <p><A href="/beheer/machtigingen">{tr(Msg::BackToAuthorizations)}</A></p>
                <button type="button" class="secondary" on:click=again>{tr(Msg::AnotherRequest)}</button>
            })}
        </Show>
    }
}

/// A user of another of the manager's organizations: a link request first ("Koppelverzoek
/// sturen"); once the user accepts, they are one of this organization's users.
fn unlinked_row(
    c: Candidate,
    req: RwSignal<NewAuthorizations>,
    sent: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = format!("{} · {} · {}", c.name, c.email, c.level.as_str());
    let button = format!("{}: {}", i18n.t(Msg::SendLinkRequest), c.name);
    let (email, name) = (c.email, c.name);
    let send = move |_| {
        let Some(org) = req.with_untracked(|r| r.org_id.clone()) else {
            return;
        };
        let (email, name) = (email.clone(), name.clone());
        spawn_local(async move {
            let text = match send_link_request(org, email).await {
                Ok(()) => i18n.t(Msg::LinkRequestSentTo).replace("{u}", &name),
                Err(e) => i18n.error(&e),
            };
            sent.set(Some(text));
        });
    };
    view! {
        <p class="candidate">{label}" "
            <button type="button" class="link" aria-label=button on:click=send>{tr(Msg::SendLinkRequest)}</button>
        </p>
    }
}
