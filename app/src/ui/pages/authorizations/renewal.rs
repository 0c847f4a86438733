//! "Machtigingen verlengen": the chosen authorizations with their new end dates and the price,
//! for 1, 3 or 5 years, then "Akkoord" (one order). Expired ones are activated from today.

use crate::api::authorizations::{quote_renewal, renew_authorizations, RenewalQuote};
use crate::domain::authorization::State;
use crate::domain::ids::AuthorizationId;
use crate::domain::tariff::Validity;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn RenewalPanel(
    /// The authorizations chosen; the panel shows when there are any and `open` is set.
    chosen: RwSignal<Vec<AuthorizationId>>,
    open: RwSignal<bool>,
    /// Called with how many were renewed.
    done: impl Fn(u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let validity = RwSignal::new(Validity::OneYear);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The lines whose users also become managers ("ook beheerder worden", free).
    let managers = RwSignal::new(Vec::<AuthorizationId>::new());
    let quote = fetch(move || {
        let ids = chosen.get();
        let years = validity.get();
        async move {
            if ids.is_empty() {
                None
            } else {
                Some(quote_renewal(ids, years).await)
            }
        }
    });
    let agree = move |total: i64| {
        busy.set(true);
        error.set(None);
        let ids = chosen.get_untracked();
        let appoint: Vec<AuthorizationId> = managers
            .get_untracked()
            .into_iter()
            .filter(|id| ids.contains(id))
            .collect();
        spawn_local(async move {
            let answer = renew_authorizations(ids, validity.get_untracked(), total, appoint).await;
            busy.set(false);
            match answer {
                Ok(n) => done(n),
                Err(e) => {
                    error.set(Some(i18n.error(&e)));
                    quote.refetch();
                }
            }
        });
    };

    view! {
        <section class="renewal" aria-labelledby="renewal-title">
            <h2 id="renewal-title" tabindex="-1">{tr(Msg::RenewAuthorizations)}</h2>
            <fieldset>
                <legend>{tr(Msg::Validity)}</legend>
                {Validity::ALL.into_iter().map(|v| view! {
                    <label class="choice">
                        <input type="radio" name="renew-years"
                            prop:checked=move || validity.get() == v
                            on:change=move |_| validity.set(v)/>
                        {move || i18n.t(Msg::NYears).replace("{n}", &v.years().to_string())}
                    </label>
                }).collect_view()}
            </fieldset>
            <p class="hint">{tr(Msg::RenewRule)}</p>
            {move || match quote.value.get().flatten() {
                None => view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
                Some(Ok(q)) => summary(q, managers, busy, agree, open).into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}

fn summary(
    q: RenewalQuote,
    managers: RwSignal<Vec<AuthorizationId>>,
    busy: RwSignal<bool>,
    agree: impl Fn(i64) + Copy + Send + Sync + 'static,
    open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = q.total_cents;
    let vat = i18n
        .t(Msg::Vat)
        .replace("{p}", &i18n.percent(q.vat_basis_points));
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <caption class="sr-only">{tr(Msg::RenewAuthorizations)}</caption>
                <thead><tr>
                    <th scope="col">{tr(Msg::User)}</th>
                    <th scope="col">{tr(Msg::Service)}</th>
                    <th scope="col">{tr(Msg::LevelShort)}</th>
                    <th scope="col">{tr(Msg::ValidUntil)}</th>
                    <th scope="col">{tr(Msg::NewEndDate)}</th>
                    <th scope="col" class="amount">{tr(Msg::Price)}</th>
                </tr></thead>
                <tbody>
                    {q.lines.into_iter().map(|l| {
                        let what = super::subject(i18n, &l.service, l.is_admin);
                        let activated = l.state == State::Expired;
                        let id = l.id.clone();
                        let also = l.may_become_manager.then(|| {
                            let shown = id.clone();
                            let label = format!("{}: {}, {}", i18n.t(Msg::AlsoManager), l.user_name, l.organization);
                            view! {
                                <br/>
                                <label class="choice">
                                    <input type="checkbox" aria-label=label
                                        prop:checked=move || managers.with(|m| m.contains(&shown))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            managers.update(|m| {
                                                m.retain(|x| *x != id);
                                                if on { m.push(id.clone()) }
                                            });
                                        }/>
                                    {tr(Msg::AlsoManager)}
                                </label>
                            }
                        });
                        view! {
                            <tr>
                                <td>{l.user_name.clone()}<br/><small>{l.organization.clone()}</small>{also}</td>
                                <td>{what}</td>
                                <td>{l.level.as_str()}</td>
                                <td class="nowrap">{i18n.date(l.current_end)}
                                    {activated.then(|| view! { <br/><small>{tr(Msg::AuthExpired)}</small> })}</td>
                                <td class="nowrap">{i18n.date(l.new_end)}</td>
                                <td class="amount nowrap">{i18n.euro(l.cents)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <dl class="details totals">
            <dt>{tr(Msg::Subtotal)}</dt><dd class="amount nowrap">{i18n.euro(q.subtotal_cents)}</dd>
            <dt>{vat}</dt><dd class="amount nowrap">{i18n.euro(q.vat_cents)}</dd>
            <dt>{tr(Msg::Total)}</dt><dd class="amount nowrap"><strong>{i18n.euro(total)}</strong></dd>
        </dl>
        <p class="page-actions">
            <button type="button" class="primary" disabled=move || busy.get()
                attr:aria-busy=move || busy.get().to_string()
                on:click=move |_| agree(total)>{tr(Msg::Agree)}</button>
            " "
            <button type="button" class="secondary" on:click=move |_| open.set(false)>{tr(Msg::Cancel)}</button>
        </p>
    }
}
