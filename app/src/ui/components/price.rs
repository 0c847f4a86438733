//! The live price with its breakdown, VAT shown separately: the add-users wizard's and the
//! request of new authorizations'. Under it, how the price is built up.

use crate::domain::tariff::{format_euro, Quote};
use crate::ui::i18n::{tr, use_i18n, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn PriceBox(
    /// None while the choices do not make a price yet.
    quote: Signal<Option<Quote>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let vat_percent = move || {
        let dutch = i18n.lang.get() == Lang::Nl;
        quote.with(|q| {
            q.as_ref().map(|q| {
                format!("{}", f64::from(q.vat_basis_points) / 100.0)
                    .replace('.', if dutch { "," } else { "." })
            })
        })
    };
    // The table alone is announced when it changes; the box and its explanation stay, so an
    // opened explanation stays open while the choices change.
    let table = move || {
        let dutch = i18n.lang.get() == Lang::Nl;
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
                                    .replace("{unit}", &format_euro(l.unit_cents, dutch))}</th>
                                <td>{format_euro(l.total_cents, dutch)}</td>
                            </tr>
                        }).collect_view()}
                        <tr><th scope="row">{tr(Msg::Subtotal)}</th><td>{format_euro(q.subtotal_cents, dutch)}</td></tr>
                        <tr><th scope="row">{i18n.t(Msg::Vat).replace("{p}", &vat_percent)}</th><td>{format_euro(q.vat_cents, dutch)}</td></tr>
                        <tr class="total"><th scope="row">{tr(Msg::Total)}</th><td data-testid="price-total">{format_euro(q.total_cents, dutch)}</td></tr>
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
