//! The live price with its breakdown, VAT shown separately: the add-users wizard's and the
//! request of new authorizations'. Under it, how the price is built up.

use crate::domain::tariff::Quote;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;

#[component]
pub fn PriceBox(
    /// None while the choices do not make a price yet.
    quote: Signal<Option<Quote>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let vat_percent = move || quote.with(|q| q.as_ref().map(|q| i18n.percent(q.vat_basis_points)));
    // The table alone is announced when it changes; the box and its explanation stay, so an
    // opened explanation stays open while the choices change.
    let table = move || {
        let vat_percent = vat_percent().unwrap_or_default();
        quote.get().map(|q| {
            let validity = i18n.t(if q.validity.years() == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &q.validity.years().to_string());
            view! {
                <table>
                    <tbody>
                        {q.lines.iter().map(|l| view! {
                            <tr>
                                <th scope="row">{i18n.t(Msg::PriceLine)
                                    .replace("{n}", &l.quantity.to_string())
                                    .replace("{level}", q.level.as_str())
                                    .replace("{validity}", &validity)
                                    .replace("{unit}", &i18n.euro(l.unit_cents))}</th>
                                <td>{i18n.euro(l.total_cents)}</td>
                            </tr>
                        }).collect_view()}
                        <tr><th scope="row">{tr(Msg::Subtotal)}</th><td>{i18n.euro(q.subtotal_cents)}</td></tr>
                        <tr><th scope="row">{i18n.t(Msg::Vat).replace("{p}", &vat_percent)}</th><td>{i18n.euro(q.vat_cents)}</td></tr>
                        <tr class="total"><th scope="row">{tr(Msg::Total)}</th><td data-testid="price-total">{i18n.euro(q.total_cents)}</td></tr>
                    </tbody>
                </table>
            }
            .into_any()
        })
    };
    view! {
        <Show when=move || quote.with(Option::is_some)>
            <section class="price" aria-labelledby="price-title">
                <h3 id="price-title">{tr(Msg::Price)}</h3>
                <div aria-live="polite">{table}</div>
                <PriceStructure vat_percent=Signal::derive(move || vat_percent().unwrap_or_default())/>
            </section>
        </Show>
    }
    // Erased, so the pages that hold the box stay within the compiler's type depth.
    .into_any()
}

/// "Opbouw van onze prijs": how the price is built up, under the price.
#[component]
fn PriceStructure(vat_percent: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details>
            <summary>{tr(Msg::PriceStructure)}</summary>
            <ul class="hint">
                <li>{tr(Msg::PricePerAuthorization)}</li>
                <li>{tr(Msg::PriceDependsOn)}</li>
                <li>{tr(Msg::PriceManagerFree)}</li>
                <li>{move || i18n.t(Msg::PriceVatAdded).replace("{p}", &vat_percent.get())}</li>
            </ul>
        </details>
    }
    .into_any()
}
