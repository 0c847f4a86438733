//! The live price with its breakdown, VAT shown separately: the add-users wizard's and the
//! request of new authorizations'.

use crate::domain::tariff::{format_euro, Quote};
use crate::ui::i18n::{tr, use_i18n, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn PriceBox(
    /// None while the choices do not make a price yet.
    quote: Signal<Option<Quote>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let dutch = i18n.lang.get() == Lang::Nl;
        quote.get().map(|q| {
            let vat_percent = format!("{}", f64::from(q.vat_basis_points) / 100.0).replace('.', if dutch { "," } else { "." });
            let validity = i18n.t(if q.validity.years() == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &q.validity.years().to_string());
            view! {
                <section class="price" aria-labelledby="price-title" aria-live="polite">
                    <h3 id="price-title">{tr(Msg::Price)}</h3>
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
                </section>
            }
        })
    }
}
