//! Inloggen: username and password, then for EH2+ and up the SMS code. The page has its own
//! bundle (`signin` feature, no router): once signed in, it loads the page the visitor asked
//! for (see `ui::location`), and with it the portal's bundle.

use crate::api::auth::{current_user, sign_in, verify_code, SignInStep};
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::otp::OneTimeCode;
use crate::ui::i18n::{tr, use_i18n, Lang, Msg};
use crate::ui::location;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let challenge = RwSignal::new(None::<(String, String)>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let finish = || {
        let (path, query) = location::here();
        location::load(&location::return_target(&path, &query));
    };
    // Someone already signed in has nothing to do here. (A link from an e-mail arrives without
    // the SameSite=Strict cookie, so the server showed this page; this request carries it.)
    spawn_local(async move {
        if let Ok(Some(_)) = current_user().await {
            finish();
        }
    });

    let submit_password = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get() {
                return;
            }
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                match sign_in(username.get_untracked(), password.get_untracked()).await {
                    Ok(SignInStep::SignedIn) => finish(),
                    Ok(SignInStep::CodeSent {
                        challenge: c,
                        sent_to,
                    }) => {
                        password.set(String::new());
                        challenge.set(Some((c, sent_to)));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };

    let submit_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get() {
            return;
        }
        // The same rule as the server's, answered at once.
        if OneTimeCode::parse(&code.get()).is_err() {
            error.set(Some(ApiError::validation(Field::Code, Rule::SixDigits)));
            return;
        }
        let Some((c, _)) = challenge.get() else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match verify_code(c, code.get_untracked()).await {
                Ok(()) => finish(),
                Err(e) => {
                    if e == ApiError::CodeExpired {
                        challenge.set(None);
                    }
                    code.set(String::new());
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };

    let error_view = move || {
        error
            .get()
            .map(|e| view! { <p class="error" role="alert">{i18n.error(&e)}</p> })
    };

    view! {
        <section class="card narrow">
            <Show
                when=move || challenge.with(Option::is_some)
                fallback=move || {
                    view! {
                        <h1>{tr(Msg::SignInTitle)}</h1>
                        <p>{tr(Msg::SignInIntro)}</p>
                        {error_view}
                        <form on:submit=submit_password novalidate>
                            <label for="username">{tr(Msg::Username)}</label>
                            <input id="username" name="username" autocomplete="username" required
                                autocapitalize="none" spellcheck="false"
                                prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
                            <label for="password">{tr(Msg::Password)}</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required
                                prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                            <button type="submit" class="primary" disabled=busy>{tr(Msg::SignInButton)}</button>
                        </form>
                        // A page of the server's own (no bundle), so it helps also when this
                        // page cannot load.
                        <p class="help-link">
                            <a href=move || match i18n.lang.get() {
                                Lang::En => "/help/sign-in",
                                Lang::Nl => "/hulp/inloggen",
                            }>{tr(Msg::SignInHelp)}</a>
                        </p>
                    }
                }
            >
                <h1>{tr(Msg::CodeTitle)}</h1>
                <p>{move || {
                    let to = challenge.get().map(|(_, to)| to).unwrap_or_default();
                    i18n.t(Msg::CodeSentTo).replace("{n}", &to)
                }}</p>
                {error_view}
                <form on:submit=submit_code novalidate>
                    <label for="code">{tr(Msg::Code)}</label>
                    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"
                        maxlength="6" pattern="[0-9]{6}" required class="code"
                        prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/>
                    <button type="submit" class="primary" disabled=busy>{tr(Msg::Confirm)}</button>
                    <button type="button" class="link" on:click=move |_| { challenge.set(None); error.set(None); }>
                        {tr(Msg::StartOver)}
                    </button>
                </form>
            </Show>
        </section>
    }
}
