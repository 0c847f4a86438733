//! Eindcontrole, for broker operators: the queue of applicants whose identity verification
//! passed, one applicant's details, approve (issue) or reject with a reason. And the development
//! simulator of the identity-verification partner.

use crate::api::final_check::{
    approve, get_final_check, list_final_checks, reject, simulate_result, simulated_verifications,
};
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, Msg};
use crate::ui::session::require_sign_in;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn FinalCheckQueue() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let queue = fetch(list_final_checks);
    let list = move || {
        queue.value.get().map(|result| match result {
            Err(e) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            Ok(items) if items.is_empty() => view! { <p>{tr(Msg::FinalCheckEmpty)}</p> }.into_any(),
            Ok(items) => view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr>
                            <th scope="col">{tr(Msg::Name)}</th>
                            <th scope="col">{tr(Msg::Organization)}</th>
                            <th scope="col">{tr(Msg::Level)}</th>
                            <th scope="col">{tr(Msg::VerifiedAt)}</th>
                        </tr></thead>
                        <tbody>
                            {items.into_iter().map(|it| {
                                let href = format!("/beheer/eindcontrole/{}", it.id);
                                view! {
                                    <tr>
                                        <td><A href=href>{it.name}</A></td>
                                        <td>{it.organization} " (" {it.kvk} ")"</td>
                                        <td>{it.level}</td>
                                        <td class="nowrap">{move || it.verified_at.map(|m| i18n.moment(m))}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        })
    };
    view! {
        <section class="card">
            <h1>{tr(Msg::FinalCheckTitle)}</h1>
            <p>{tr(Msg::FinalCheckIntro)}</p>
            {move || list().unwrap_or_else(|| view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any())}
        </section>
    }
}

#[component]
pub fn FinalCheckDetail() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let detail = fetch(move || get_final_check(id()));
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let outcome = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);

    let decide = move |approving: bool| {
        if busy.get_untracked() {
            return;
        }
        let text = reason.get_untracked();
        if !approving && text.trim().is_empty() {
            error.set(Some(ApiError::validation(Field::Reason, Rule::Required)));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = if approving {
                approve(id()).await
            } else {
                reject(id(), text).await
            };
            match result {
                Ok(()) => outcome.set(Some(if approving {
                    Msg::Approved
                } else {
                    Msg::Rejected
                })),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let reason_error = move || match error.get() {
        Some(ApiError::Validation {
            field: Field::Reason,
            rule,
            ..
        }) => Some(i18n.rule(Field::Reason, rule)),
        _ => None,
    };
    let other_error = move || match error.get() {
        Some(ApiError::Validation { .. }) | None => None,
        Some(e) => Some(view! { <p class="error" role="alert">{i18n.error(&e)}</p> }),
    };

    let body = move || {
        detail.value.get().map(|result| match result {
            Err(e) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            Ok(d) => {
                let services = if !d.with_authorizations {
                    i18n.t(Msg::NoAuthorizations).to_string()
                } else if d.all_services {
                    format!("{} ({})", i18n.t(Msg::AllServices), d.item.level)
                } else {
                    d.services.join(", ")
                };
                view! {
                    <h1>{d.item.name.clone()}</h1>
                    <dl class="details">
                        <dt>{tr(Msg::Organization)}</dt><dd>{d.item.organization.clone()} " (KvK " {d.item.kvk.clone()} ")"</dd>
                        <dt>{tr(Msg::DateOfBirth)}</dt><dd>{d.date_of_birth.map(|b| i18n.date(b))}</dd>
                        <dt>{tr(Msg::Email)}</dt><dd>{d.email.clone()}</dd>
                        <dt>{tr(Msg::Mobile)}</dt><dd>{d.mobile.clone()}</dd>
                        <dt>{tr(Msg::Level)}</dt><dd>{d.item.level.clone()}</dd>
                        <dt>{tr(Msg::StepAuthorizations)}</dt><dd>{services}</dd>
                        <dt>{tr(Msg::Validity)}</dt><dd>{i18n.count(d.validity_years.unsigned_abs().into(), Msg::OneYear, Msg::NYears)}</dd>
                        <dt>{tr(Msg::SubmittedBy)}</dt><dd>{d.submitted_by.clone()}</dd>
                        <dt>{tr(Msg::VerifiedAt)}</dt><dd>{d.item.verified_at.map(|m| i18n.moment(m))}</dd>
                        <dt>{tr(Msg::Reference)}</dt><dd>{d.verification_reference.clone()}</dd>
                    </dl>
                    <Show
                        when=move || outcome.get().is_none()
                        fallback=move || view! {
                            <p class="success" role="status">{move || outcome.get().map(|m| i18n.t(m))}</p>
                        }
                    >
                        {other_error}
                        <div class="step-buttons">
                            <button type="button" class="primary" disabled=busy on:click=move |_| decide(true)>
                                {tr(Msg::Approve)}
                            </button>
                        </div>
                        <label for="reason">{tr(Msg::RejectReason)}</label>
                        <textarea id="reason" rows="3" maxlength="1000" aria-describedby="reason-error"
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        <p id="reason-error" class="field-error" role="alert">{reason_error}</p>
                        <button type="button" class="secondary" disabled=busy on:click=move |_| decide(false)>
                            {tr(Msg::Reject)}
                        </button>
                    </Show>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="card">
            <p><A href="/beheer/eindcontrole">{tr(Msg::BackToQueue)}</A></p>
            {move || body().unwrap_or_else(|| view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any())}
        </section>
    }
}

/// Development: the identity-verification partner, simulated.
#[component]
pub fn Simulator() -> impl IntoView {
    let i18n = use_i18n();
    let pending = fetch(simulated_verifications);
    let error = RwSignal::new(None::<ApiError>);
    let report = move |reference: String, passed: bool| {
        spawn_local(async move {
            match simulate_result(reference, passed).await {
                Ok(()) => {
                    error.set(None);
                    pending.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let list = move || {
        pending.value.get().map(|result| match result {
            Err(e) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            Ok(items) if items.is_empty() => view! { <p>{tr(Msg::SimulatorEmpty)}</p> }.into_any(),
            Ok(items) => items
                .into_iter()
                .map(|v| {
                    let (a, b) = (v.reference.clone(), v.reference.clone());
                    let label = v.name.clone();
                    view! {
                        <article class="message" aria-label=label>
                            <h2>{v.name}</h2>
                            <p class="meta">{v.email} " · " {v.organization} " · " {tr(Msg::Deadline)} " " {move || i18n.date(v.deadline)} " · " {v.reference}</p>
                            <div class="step-buttons">
                                <button type="button" class="primary" on:click=move |_| report(a.clone(), true)>{tr(Msg::Pass)}</button>
                                <button type="button" class="secondary" on:click=move |_| report(b.clone(), false)>{tr(Msg::Fail)}</button>
                            </div>
                        </article>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };
    view! {
        <section class="card">
            <h1>{tr(Msg::SimulatorTitle)}</h1>
            <p>{tr(Msg::SimulatorIntro)}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{i18n.error(&e)}</p> })}
            <button type="button" class="secondary" on:click=move |_| pending.refetch()>{tr(Msg::Refresh)}</button>
            {move || list().unwrap_or_else(|| view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any())}
        </section>
    }
}
