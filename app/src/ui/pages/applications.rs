//! Beheer > Lopende aanvragen: the applications of the manager's organizations with each new
//! user's status, filters, and per application a detail page with the manager's actions.

use crate::api::applications::{
    cancel_applicant, cancel_application, correct_applicant, get_application, list_applications,
    managed_organizations, resend_invitation, Applicant, ApplicationFilter, ApplicationsCursor,
    ProgressStep,
};
use crate::api::ApiError;
use crate::domain::acceptance::Status;
use crate::domain::codes::Field;
use crate::ui::components::pager::Pager;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, I18n, Msg};
use crate::ui::session::{require_sign_in, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The name of a step in an applicant's progress.
fn step_msg(step: ProgressStep) -> Msg {
    match step {
        ProgressStep::Confirmed => Msg::StepConfirmed,
        ProgressStep::MobileVerified => Msg::StepMobileVerified,
        ProgressStep::Ordered => Msg::StepOrdered,
        ProgressStep::Verified => Msg::StepVerified,
        ProgressStep::Issued => Msg::StatusIssued,
        ProgressStep::Rejected => Msg::StatusRejected,
    }
}

pub fn status_text(i18n: I18n, status: Status) -> &'static str {
    i18n.t(match status {
        Status::Invited => Msg::StatusInvited,
        Status::Accepted => Msg::StatusAccepted,
        Status::IdentityVerification => Msg::StatusIdentityVerification,
        Status::FinalCheck => Msg::StatusFinalCheck,
        Status::Issued => Msg::StatusIssued,
        Status::Rejected => Msg::StatusRejected,
        Status::Expired => Msg::StatusExpired,
        Status::Cancelled => Msg::StatusCancelled,
    })
}

#[component]
pub fn Applications() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let status = RwSignal::new(None::<Status>);
    let org = RwSignal::new(String::new());
    let organizations = fetch(managed_organizations);
    // Where each page shown so far starts (keyset paging, see `Pager`); a new filter starts over.
    let cursors = RwSignal::new(vec![None::<ApplicationsCursor>]);
    let list = fetch(move || {
        list_applications(
            ApplicationFilter {
                status: status.get(),
                org_id: Some(org.get()).filter(|s| !s.is_empty()),
            },
            cursors.with(|c| c.last().cloned().flatten()),
        )
    });
    let rows = move || {
        list.value.get().map(|result| match result {
            Err(e) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            Ok(page) if page.rows.is_empty() => view! { <p>{tr(Msg::NoApplications)}</p> }.into_any(),
            Ok(page) => {
                let (apps, next) = (page.rows, page.next);
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table>
                            <caption class="sr-only">{tr(Msg::Applications)}</caption>
                            <thead><tr>
                                <th scope="col">{tr(Msg::Submitted)}</th>
                                <th scope="col">{tr(Msg::Organization)}</th>
                                <th scope="col">{tr(Msg::Level)}</th>
                                <th scope="col">{tr(Msg::SubmittedBy)}</th>
                                <th scope="col">{tr(Msg::Users)}</th>
                                <th scope="col" class="amount">{tr(Msg::Total)}</th>
                                <th scope="col"><span class="sr-only">{tr(Msg::Actions)}</span></th>
                            </tr></thead>
                            <tbody>
                                {apps.into_iter().map(|a| {
                                    let statuses = a.statuses.iter()
                                        .map(|(s, n)| format!("{n} {}", status_text(i18n, *s).to_lowercase()))
                                        .collect::<Vec<_>>().join(", ");
                                    let submitted = i18n.moment(a.submitted_at);
                                    let label = format!("{} {} {}", i18n.t(Msg::View), a.organization, submitted);
                                    view! {
                                        <tr>
                                            <td class="nowrap" data-testid="submitted-at">{submitted}</td>
                                            <td>{a.organization.clone()}</td>
                                            <td>{a.level.clone()}</td>
                                            <td>{a.submitted_by.clone()}</td>
                                            <td>{statuses}</td>
                                            <td class="amount" data-testid="total">{i18n.euro(a.total_cents)}</td>
                                            <td><A href=format!("/beheer/lopende-aanvragen/{}", a.id) attr:aria-label=label>{tr(Msg::View)}</A></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager cursors=cursors next=next/>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="card">
            <h1>{tr(Msg::Applications)}</h1>
            <p>{tr(Msg::ApplicationsIntro)}</p>
            <label for="org-filter">{tr(Msg::Organization)}</label>
            <select id="org-filter" on:change=move |ev| { cursors.set(vec![None]); org.set(event_target_value(&ev)) }>
                <option value="">{tr(Msg::AllOrganizations)}</option>
                {move || organizations.value.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|o| {
                    view! { <option value=o.id>{o.name}</option> }
                }).collect_view()}
            </select>
            <label for="status-filter">{tr(Msg::StatusFilter)}</label>
            <select id="status-filter" on:change=move |ev| { cursors.set(vec![None]); status.set(Status::parse(&event_target_value(&ev))) }>
                <option value="">{tr(Msg::AllStatuses)}</option>
                {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || status_text(i18n, s)}</option> }).collect_view()}
            </select>
            {rows}
            <Show when=move || session.me.with(|m| m.as_ref().is_some_and(|m| m.is_manager))>
                <p><A href="/beheer/gebruikers/toevoegen">{tr(Msg::AddUsersButton)}</A></p>
            </Show>
        </section>
    }
}

#[component]
pub fn ApplicationDetailPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let detail = fetch(move || get_application(id()));
    let message = RwSignal::new(None::<Msg>);
    let error = RwSignal::new(None::<ApiError>);
    let confirm_all = RwSignal::new(false);
    let done = move |result: Result<(), ApiError>, ok: Msg| {
        match result {
            Ok(()) => {
                error.set(None);
                message.set(Some(ok));
            }
            Err(e) => {
                message.set(None);
                error.set(Some(e));
            }
        }
        detail.refetch();
    };
    let cancel_all = move |_| {
        spawn_local(async move {
            let r = cancel_application(id()).await;
            confirm_all.set(false);
            done(r, Msg::ApplicationCancelled);
        });
    };
    view! {
        <section class="card">
            <p><A href="/beheer/lopende-aanvragen">{tr(Msg::BackToApplications)}</A></p>
            <p class="success" role="status">{move || message.get().map(|m| i18n.t(m))}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{i18n.error(&e)}</p> })}
            {move || detail.value.get().map(|result| match result {
                Err(e) => view! { <h1>{tr(Msg::Application)}</h1><p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
                Ok(d) => {
                    let any_open = d.applicants.iter().any(|a| !a.status.is_final());
                    let services = if !d.with_authorizations {
                        i18n.t(Msg::NoAuthorizations).to_string()
                    } else if d.all_services {
                        i18n.t(Msg::AllServices).to_string()
                    } else {
                        d.services.join(", ")
                    };
                    let validity = i18n.t(if d.validity_years == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &d.validity_years.to_string());
                    view! {
                        <h1>{format!("{} · {}", i18n.t(Msg::Application), d.summary.organization)}</h1>
                        <dl class="details">
                            <dt>{tr(Msg::Submitted)}</dt><dd>{i18n.moment(d.summary.submitted_at)}</dd>
                            <dt>{tr(Msg::SubmittedBy)}</dt><dd>{d.summary.submitted_by.clone()}</dd>
                            <dt>{tr(Msg::Level)}</dt><dd>{d.summary.level.clone()}</dd>
                            <dt>{tr(Msg::Branch)}</dt><dd>{d.branch.clone().unwrap_or_else(|| i18n.t(Msg::AllBranches).to_string())}</dd>
                            <dt>{tr(Msg::StepAuthorizations)}</dt><dd>{services}</dd>
                            <dt>{tr(Msg::Validity)}</dt><dd>{validity}</dd>
                            <dt>{tr(Msg::Subtotal)}</dt><dd class="nowrap">{i18n.euro(d.subtotal_cents)}</dd>
                            <dt>{tr(Msg::VatShort)}</dt><dd class="nowrap">{i18n.euro(d.vat_cents)}</dd>
                            <dt>{tr(Msg::Total)}</dt><dd class="nowrap">{i18n.euro(d.summary.total_cents)}</dd>
                        </dl>
                        <h2>{tr(Msg::Users)}</h2>
                        <div class="table-wrap" tabindex="0">
                            <table>
                                <caption class="sr-only">{tr(Msg::Users)}</caption>
                                <thead><tr>
                                    <th scope="col">{tr(Msg::Name)}</th>
                                    <th scope="col">{tr(Msg::Email)}</th>
                                    <th scope="col">{tr(Msg::Mobile)}</th>
                                    <th scope="col">{tr(Msg::Employed)}</th>
                                    <th scope="col">{tr(Msg::Status)}</th>
                                    <th scope="col">{tr(Msg::Actions)}</th>
                                </tr></thead>
                                <tbody>
                                    {d.applicants.into_iter().map(|a| view! { <ApplicantRow a done/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Show when=move || any_open>
                            <Show when=move || confirm_all.get() fallback=move || view! {
                                <button type="button" class="danger" on:click=move |_| confirm_all.set(true)>{tr(Msg::CancelApplication)}</button>
                            }>
                                <div class="confirm" role="group" aria-label=tr(Msg::CancelApplication)>
                                    <p>{tr(Msg::CancelApplicationConfirm)}</p>
                                    <button type="button" class="danger" on:click=cancel_all>{tr(Msg::YesCancelApplication)}</button>
                                    <button type="button" class="secondary" on:click=move |_| confirm_all.set(false)>{tr(Msg::No)}</button>
                                </div>
                            </Show>
                        </Show>
                    }
                    .into_any()
                }
            })}
        </section>
    }
}

/// One new user with the actions that fit their status.
#[component]
fn ApplicantRow(
    a: Applicant,
    done: impl Fn(Result<(), ApiError>, Msg) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let correcting = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let email = RwSignal::new(a.email.clone());
    let mobile = RwSignal::new(a.mobile.clone());
    let field_error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(a.id.clone());
    let invited = a.status == Status::Invited;
    let open = !a.status.is_final();
    let name = a.name.clone();
    let (name2, name3) = (a.name.clone(), a.name.clone());
    let resend = move |_| {
        spawn_local(async move {
            done(
                resend_invitation(id.get_value()).await,
                Msg::InvitationResent,
            )
        });
    };
    let cancel = move |_| {
        spawn_local(async move {
            confirming.set(false);
            done(
                cancel_applicant(id.get_value()).await,
                Msg::ApplicantCancelled,
            )
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            match correct_applicant(
                id.get_value(),
                email.get_untracked(),
                mobile.get_untracked(),
            )
            .await
            {
                Err(e @ ApiError::Validation { .. }) => field_error.set(Some(e)),
                other => {
                    correcting.set(false);
                    done(other, Msg::CorrectedAndResent)
                }
            }
        });
    };
    let error_for =
        move |field: Field| move || field_error.with(|e| i18n.field_error(e.as_ref(), field));
    let status = a.status;
    let valid_until = a.invitation_valid_until;
    let steps = a.steps.clone();
    let reason = a.rejection_reason.clone();
    view! {
        <tr>
            <td>{a.name.clone()}</td>
            <td>{a.email.clone()}</td>
            <td>{a.mobile.clone()}</td>
            <td>{if a.employed { i18n.t(Msg::Yes) } else { i18n.t(Msg::No) }}</td>
            <td>{move || status_text(i18n, status)}
                {valid_until.map(|d| view! { <br/><small>{move || i18n.t(Msg::LinkValidUntil).replace("{d}", &i18n.moment(d))}</small> })}
                <ol class="progress" aria-label=tr(Msg::StepsTaken)>
                    {steps.into_iter().map(|(step, at)| view! {
                        <li>{move || i18n.t(step_msg(step))} " " <small class="nowrap">{move || i18n.moment(at)}</small></li>
                    }).collect_view()}
                </ol>
                {reason.map(|r| view! { <small>{tr(Msg::ReasonLabel)} ": " {r}</small> })}
            </td>
            <td class="actions">
                <Show when=move || invited>
                    <button type="button" class="link" aria-label=format!("{} {}", i18n.t(Msg::ResendInvitation), name) on:click=resend>{tr(Msg::ResendInvitation)}</button>
                    <button type="button" class="link" aria-label=format!("{} {}", i18n.t(Msg::Correct), name2) on:click=move |_| correcting.set(true)>{tr(Msg::Correct)}</button>
                </Show>
                <Show when=move || open>
                    <button type="button" class="link danger" aria-label=format!("{} {}", i18n.t(Msg::CancelUser), name3) on:click=move |_| confirming.set(true)>{tr(Msg::CancelUser)}</button>
                </Show>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="group" aria-label=tr(Msg::CancelUser)>
                        <p>{tr(Msg::CancelUserConfirm)}</p>
                        <button type="button" class="danger" on:click=cancel>{tr(Msg::YesCancelUser)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{tr(Msg::No)}</button>
                    </div>
                </Show>
                <Show when=move || correcting.get()>
                    <form class="subform" on:submit=save novalidate>
                        <label for=format!("email-{}", id.get_value())>{tr(Msg::Email)}</label>
                        <input id=format!("email-{}", id.get_value()) type="email" prop:value=email
                            on:input=move |ev| email.set(event_target_value(&ev))/>
                        <p class="field-error" role="alert">{error_for(Field::Email)}</p>
                        <label for=format!("mobile-{}", id.get_value())>{tr(Msg::Mobile)}</label>
                        <input id=format!("mobile-{}", id.get_value()) type="tel" prop:value=mobile
                            on:input=move |ev| mobile.set(event_target_value(&ev))/>
                        <p class="field-error" role="alert">{error_for(Field::Mobile)}</p>
                        <button type="submit" class="primary">{tr(Msg::SaveAndResend)}</button>
                        <button type="button" class="secondary" on:click=move |_| correcting.set(false)>{tr(Msg::Cancel)}</button>
                    </form>
                </Show>
            </td>
        </tr>
    }
}
