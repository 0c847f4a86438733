//! The development mailbox: what the outbox sent, as a person's inbox shows it, links working.

use crate::api::mailbox::dev_mailbox;
use crate::ui::fetch::fetch;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;

/// The body with every http(s) address made a link.
fn linked(body: &str) -> impl IntoView {
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("http://").or_else(|| rest.find("https://")) {
        let (before, from) = rest.split_at(start);
        let end = from.find(char::is_whitespace).unwrap_or(from.len());
        let (url, after) = from.split_at(end);
        parts.push(before.to_string().into_any());
        let (href, text) = (url.to_string(), url.to_string());
        parts.push(view! { <a href=href>{text}</a> }.into_any());
        rest = after;
    }
    parts.push(rest.to_string().into_any());
    parts
}

#[component]
pub fn Mailbox() -> impl IntoView {
    let i18n = use_i18n();
    let messages = fetch(dev_mailbox);
    let list = move || {
        messages.value.get().map(|result| match result {
            Err(e) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            Ok(m) if m.is_empty() => view! { <p>{i18n.t(Msg::MailboxEmpty)}</p> }.into_any(),
            Ok(m) => m
                .into_iter()
                .map(|msg| {
                    let channel = if msg.channel == "sms" { Msg::ChannelSms } else { Msg::ChannelEmail };
                    let heading = msg.subject.clone().unwrap_or_else(|| i18n.t(channel).to_string());
                    let label = format!("{} {}", i18n.t(channel), msg.recipient);
                    view! {
                        <article class="message" aria-label=label>
                            <header>
                                <span class="badge">{i18n.t(channel)}</span>
                                <h2>{heading}</h2>
                                <p class="meta">{i18n.t(Msg::To)} ": " {msg.recipient} " · " {msg.created_at} " · " {msg.status}</p>
                            </header>
                            <pre>{linked(&msg.body)}</pre>
                        </article>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };
    view! {
        <section class="card">
            <h1>{tr(Msg::MailboxTitle)}</h1>
            <p>{tr(Msg::MailboxIntro)}</p>
            <button type="button" class="secondary" on:click=move |_| messages.refetch()>{tr(Msg::Refresh)}</button>
            {move || list().unwrap_or_else(|| view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }.into_any())}
        </section>
    }
}
