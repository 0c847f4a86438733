//! Step 4: the new users, typed in one by one ("Gebruiker toevoegen", "Opslaan") or read from a
//! CSV file. A file is first shown as a preview with every row's problems; valid rows are taken
//! over, invalid ones can be corrected in place and taken over after.

use super::{use_wizard, StepButtons, StepError, Wizard};
use crate::api::wizard::{wizard_existing_emails, wizard_import_csv, WizardStep, MAX_USERS};
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::new_user::{check, FieldProblem, Language, NewUser};
use crate::domain::user_import::{duplicates, ImportRow};
use crate::ui::i18n::{tr, use_i18n, I18n, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;

/// Rows of the CSV preview on one page.
const PREVIEW_PAGE: usize = 50;

/// The problems of `user` against the rules and the other users of the application. Whether
/// the person is already a user of the organization is asked of the server after this.
fn problems_of(wizard: Wizard, user: &NewUser, others: &[NewUser]) -> Vec<FieldProblem> {
    let today = wizard.start.with_value(|s| s.today);
    let mut problems = check(user, today);
    let mut with_others: Vec<NewUser> = others.to_vec();
    with_others.push(user.clone());
    if let Some(last) = duplicates(&with_others).pop() {
        problems.extend(last);
    }
    problems
}

#[component]
pub fn UsersStep() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    // None: no form; Some(None): a new user; Some(Some(i)): changing user i.
    let editing = RwSignal::new(None::<Option<usize>>);
    let preview = RwSignal::new(None::<Vec<ImportRow>>);
    let count = move || wizard.draft.with(|d| d.users.len());
    let rows = move || {
        wizard.draft.with(|d| {
            d.users
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let name = u.full_name();
                    let employed = if u.employed { i18n.t(Msg::Yes) } else { i18n.t(Msg::No) };
                    let change_label = format!("{} {}", i18n.t(Msg::Change), name);
                    let remove_label = format!("{} {}", i18n.t(Msg::Remove), name);
                    view! {
                        <tr>
                            <td>{name}</td>
                            <td>{u.email.clone()}</td>
                            <td>{u.mobile.clone()}</td>
                            <td>{u.date_of_birth.clone()}</td>
                            <td>{employed}</td>
                            <td class="actions">
                                <button type="button" class="link" aria-label=change_label
                                    on:click=move |_| editing.set(Some(Some(i)))>{tr(Msg::Change)}</button>
                                <button type="button" class="link danger" aria-label=remove_label
                                    on:click=move |_| wizard.edit(|d| { if i < d.users.len() { d.users.remove(i); } })>{tr(Msg::Remove)}</button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <h2>{tr(Msg::Users)}</h2>
        <StepError/>
        <p>{tr(Msg::UsersStepIntro)}</p>
        <Show when=move || { count() > 0 } fallback=move || view! { <p class="hint">{tr(Msg::NoUsersYet)}</p> }>
            <div class="table-wrap" tabindex="0">
                <table>
                    <caption>{move || i18n.t(Msg::UsersAdded).replace("{n}", &count().to_string())}</caption>
                    <thead><tr>
                        <th scope="col">{tr(Msg::Name)}</th>
                        <th scope="col">{tr(Msg::Email)}</th>
                        <th scope="col">{tr(Msg::Mobile)}</th>
                        <th scope="col">{tr(Msg::DateOfBirth)}</th>
                        <th scope="col">{tr(Msg::Employed)}</th>
                        <th scope="col"><span class="sr-only">{tr(Msg::Actions)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Show>
        {move || editing.get().map(|index| view! { <UserForm index on_close=move || editing.set(None)/> })}
        <Show when=move || { editing.with(Option::is_none) && preview.with(Option::is_none) }>
            <div class="add-row">
                <button type="button" class="add" on:click=move |_| editing.set(Some(None))
                    disabled=move || { count() >= MAX_USERS }>{tr(Msg::AddUser)}</button>
                <CsvUpload preview/>
            </div>
        </Show>
        {move || preview.with(Option::is_some).then(|| view! { <CsvPreview preview/> })}
        <StepButtons back=WizardStep::OrganizationDetails next_label=Signal::derive(move || i18n.t(Msg::Next))
            next_disabled=Signal::derive(move || count() == 0 || editing.with(Option::is_some) || preview.with(Option::is_some))
            on_next=move || { wizard.go(WizardStep::Authorizations) }/>
    }
}

/// The form for one user; "Opslaan" checks it as the server will.
#[component]
fn UserForm(index: Option<usize>, on_close: impl Fn() + Copy + 'static) -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let initial = index
        .and_then(|i| wizard.draft.with_untracked(|d| d.users.get(i).cloned()))
        .unwrap_or_default();
    let user = RwSignal::new(initial);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let busy = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get() {
            return;
        }
        let candidate = user.get();
        let others: Vec<NewUser> = wizard.draft.with(|d| {
            d.users
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != index)
                .map(|(_, u)| u.clone())
                .collect()
        });
        let found = problems_of(wizard, &candidate, &others);
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let Some(org_id) = wizard.draft.with(|d| d.org_id.clone()) else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match wizard_existing_emails(org_id, vec![candidate.email.clone()]).await {
                Ok(existing) if !existing.is_empty() => {
                    problems.set(vec![FieldProblem::new(Field::Email, Rule::AlreadyMember)]);
                }
                Ok(_) => {
                    wizard.edit(|d| match index {
                        Some(i) if i < d.users.len() => d.users[i] = candidate,
                        _ => d.users.push(candidate),
                    });
                    on_close();
                }
                Err(e) => wizard.error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let title = if index.is_some() {
        Msg::ChangeUser
    } else {
        Msg::AddUser
    };
    view! {
        <form class="subform" on:submit=save novalidate aria-labelledby="user-form-title">
            <h3 id="user-form-title">{tr(title)}</h3>
            {text_field(user, problems, i18n, "first-name", Msg::FirstName, Field::FirstName, "given-name", |u| &mut u.first_name)}
            {text_field(user, problems, i18n, "infix", Msg::Infix, Field::Infix, "off", |u| &mut u.infix)}
            {text_field(user, problems, i18n, "last-name", Msg::LastName, Field::LastName, "family-name", |u| &mut u.last_name)}
            {text_field(user, problems, i18n, "email", Msg::Email, Field::Email, "off", |u| &mut u.email)}
            {text_field(user, problems, i18n, "mobile", Msg::Mobile, Field::Mobile, "off", |u| &mut u.mobile)}
            {text_field(user, problems, i18n, "date-of-birth", Msg::DateOfBirthFormat, Field::DateOfBirth, "off", |u| &mut u.date_of_birth)}
            <fieldset>
                <legend>{tr(Msg::EmployedQuestion)}</legend>
                <label class="choice"><input type="radio" name="employed" prop:checked=move || user.with(|u| u.employed)
                    on:change=move |_| user.update(|u| u.employed = true)/>{tr(Msg::Yes)}</label>
                <label class="choice"><input type="radio" name="employed" prop:checked=move || user.with(|u| !u.employed)
                    on:change=move |_| user.update(|u| u.employed = false)/>{tr(Msg::No)}</label>
            </fieldset>
            <p class="hint">{tr(Msg::EmployedHint)}</p>
            <label for="user-language">{tr(Msg::Language)}</label>
            <select id="user-language" on:change=move |ev| { let v = Language::parse(&event_target_value(&ev)).unwrap_or_default(); user.update(|u| u.language = v); }>
                <option value="nl" selected=move || { user.with(|u| u.language == Language::Nl) }>"Nederlands"</option>
                <option value="en" selected=move || { user.with(|u| u.language == Language::En) }>"English"</option>
            </select>
            <div class="step-buttons">
                <button type="button" class="secondary" on:click=move |_| on_close()>{tr(Msg::Cancel)}</button>
                <button type="submit" class="primary" disabled=busy>{tr(Msg::Save)}</button>
            </div>
        </form>
    }
}

#[allow(clippy::too_many_arguments)]
fn text_field(
    user: RwSignal<NewUser>,
    problems: RwSignal<Vec<FieldProblem>>,
    i18n: I18n,
    id: &'static str,
    label: Msg,
    field: Field,
    autocomplete: &'static str,
    get: fn(&mut NewUser) -> &mut String,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let message = move || {
        problems.with(|p| {
            p.iter()
                .find(|p| p.field == field)
                .map(|p| i18n.rule(field, p.code))
        })
    };
    let input_type = match field {
        Field::Email => "email",
        Field::Mobile => "tel",
        _ => "text",
    };
    view! {
        <label for=id>{tr(label)}</label>
        <input id=id type=input_type autocomplete=autocomplete aria-describedby=error_id.clone()
            aria-invalid=move || message().is_some().to_string()
            prop:value=move || user.with(|u| get(&mut u.clone()).clone())
            on:input=move |ev| {
                let v = event_target_value(&ev);
                user.update(|u| *get(u) = v);
                problems.update(|p| p.retain(|p| p.field != field));
            }/>
        <p class="field-error" id=error_id role="alert">{message}</p>
    }
}

/// The file input; the chosen file goes to the server, which answers with the preview. A file
/// the browser cannot read, or the server cannot read as text, says so at the field.
#[component]
fn CsvUpload(preview: RwSignal<Option<Vec<ImportRow>>>) -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    // What went wrong before the file reached the server.
    let read_error = RwSignal::new(None::<Msg>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(org_id) = wizard.draft.with_untracked(|d| d.org_id.clone()) else {
            return;
        };
        wizard.error.set(None);
        read_error.set(None);
        read_file_base64(ev, move |read| {
            let base64 = match read {
                Ok(base64) => base64,
                Err(problem) => return read_error.set(Some(problem)),
            };
            busy.set(true);
            let org_id = org_id.clone();
            spawn_local(async move {
                match wizard_import_csv(org_id, base64).await {
                    Ok(rows) => preview.set(Some(rows)),
                    Err(e) => wizard.error.set(Some(e)),
                }
                busy.set(false);
            });
        });
    };
    let message = move || {
        if let Some(problem) = read_error.get() {
            return Some(i18n.t(problem).to_string());
        }
        wizard.error.with(|e| match e {
            // Not text (a spreadsheet, a PDF, a picture): what to do instead.
            Some(ApiError::Validation {
                field: Field::Csv,
                rule: Rule::NotCsv,
                row: None,
            }) => Some(i18n.t(Msg::CsvUnreadable).to_string()),
            other => i18n.field_error(other.as_ref(), Field::Csv),
        })
    };
    view! {
        <div class="upload">
            <label for="csv-file" class="button secondary">{tr(Msg::UploadCsv)}</label>
            <input id="csv-file" class="visually-hidden-file" type="file" accept=".csv,text/csv"
                aria-describedby="csv-hint csv-error" on:change=on_file/>
            <p class="hint" id="csv-hint">
                {tr(Msg::CsvHint)}" "
                <a href="/downloads/gebruikers-voorbeeld.csv" download="gebruikers-voorbeeld.csv">{tr(Msg::DownloadExample)}</a>
            </p>
            <Show when=move || busy.get()><p role="status">{tr(Msg::ReadingFile)}</p></Show>
            <p class="field-error" id="csv-error" role="alert">{message}</p>
        </div>
    }
}

/// Reads the chosen file as base64 for the server, or says why it cannot be sent: empty, too
/// large, or unreadable for the browser (moved or deleted meanwhile, no permission).
#[cfg(feature = "csr")]
fn read_file_base64(ev: leptos::ev::Event, done: impl Fn(Result<String, Msg>) + 'static) {
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    // The same file can be chosen again after correcting it.
    input.set_value("");
    let size = file.size();
    if size < 1.0 {
        return done(Err(Msg::ErrCsvEmpty));
    }
    if size > crate::domain::user_import::MAX_BYTES as f64 {
        return done(Err(Msg::ErrCsvTooLarge));
    }
    let Ok(reader) = web_sys::FileReader::new() else {
        return done(Err(Msg::CsvUnreadable));
    };
    let done = Rc::new(done);
    let reader_in = reader.clone();
    let done_in = Rc::clone(&done);
    let onload = Closure::once(move || {
        let url = reader_in.result().ok().and_then(|r| r.as_string());
        // "data:<type>;base64,<data>"
        match url.as_deref().and_then(|url| url.split_once(',')) {
            Some((_, data)) => done_in(Ok(data.to_string())),
            None => done_in(Err(Msg::CsvUnreadable)),
        }
    });
    let done_in = Rc::clone(&done);
    let onerror = Closure::once(move || done_in(Err(Msg::CsvUnreadable)));
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    reader.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onload.forget();
    onerror.forget();
    if reader.read_as_data_url(&file).is_err() {
        done(Err(Msg::CsvUnreadable));
    }
}

#[cfg(not(feature = "csr"))]
fn read_file_base64(_ev: leptos::ev::Event, _done: impl Fn(Result<String, Msg>) + 'static) {}

/// The rows of a CSV file with their problems, a page at a time.
#[component]
fn CsvPreview(preview: RwSignal<Option<Vec<ImportRow>>>) -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let page = RwSignal::new(0usize);
    // Server-found "already a user" problems stay with the e-mail address they were found for.
    let existing: StoredValue<HashSet<String>> = StoredValue::new(preview.with_untracked(|p| {
        p.iter()
            .flatten()
            .filter(|r| r.problems.iter().any(|p| p.code == Rule::AlreadyMember))
            .map(|r| r.user.email.trim().to_lowercase())
            .collect()
    }));
    let recheck = move || {
        let taken: Vec<NewUser> = wizard.draft.with_untracked(|d| d.users.clone());
        let today = wizard.start.with_value(|s| s.today);
        preview.update(|p| {
            if let Some(rows) = p {
                let mut all = taken.clone();
                all.extend(rows.iter().map(|r| r.user.clone()));
                let dups = duplicates(&all);
                for (row, dup) in rows.iter_mut().zip(dups.into_iter().skip(taken.len())) {
                    // "In loondienst" unreadable in the file: only the choice in the row ends it.
                    // An unreadable language stays: the row has no cell to correct it in.
                    let mut problems: Vec<FieldProblem> = row
                        .problems
                        .iter()
                        .filter(|p| matches!(p.field, Field::Employed | Field::Language))
                        .cloned()
                        .collect();
                    problems.extend(check(&row.user, today));
                    problems.extend(dup);
                    if existing.with_value(|e| e.contains(&row.user.email.trim().to_lowercase())) {
                        problems.push(FieldProblem::new(Field::Email, Rule::AlreadyMember));
                    }
                    row.problems = problems;
                }
            }
        });
    };
    let counts = move || {
        preview.with(|p| {
            let rows = p.as_deref().unwrap_or_default();
            let ok = rows.iter().filter(|r| r.problems.is_empty()).count();
            (ok, rows.len() - ok)
        })
    };
    let take_over = move |_| {
        let valid: Vec<NewUser> = preview.with(|p| {
            p.iter()
                .flatten()
                .filter(|r| r.problems.is_empty())
                .map(|r| r.user.clone())
                .collect()
        });
        let room = MAX_USERS.saturating_sub(wizard.draft.with(|d| d.users.len()));
        let taken = valid.len().min(room);
        wizard.edit(|d| d.users.extend(valid.into_iter().take(room)));
        let mut left = taken;
        preview.update(|p| {
            if let Some(rows) = p {
                rows.retain(|r| {
                    if r.problems.is_empty() && left > 0 {
                        left -= 1;
                        false
                    } else {
                        true
                    }
                });
            }
        });
        if preview.with(|p| p.as_ref().is_some_and(Vec::is_empty)) {
            preview.set(None);
        } else {
            page.set(0);
            recheck();
        }
    };
    let pages = move || {
        preview.with(|p| {
            p.as_ref()
                .map_or(1, |r| r.len().div_ceil(PREVIEW_PAGE).max(1))
        })
    };
    let shown = move || {
        let start = page.get() * PREVIEW_PAGE;
        preview.with(|p| {
            p.as_ref()
                .map(|rows| {
                    rows.iter()
                        .enumerate()
                        .skip(start)
                        .take(PREVIEW_PAGE)
                        .map(|(i, r)| (i, r.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h3 id="preview-title">{tr(Msg::CsvPreview)}</h3>
            <p role="status">{move || {
                let (ok, bad) = counts();
                i18n.count(ok as u64, Msg::CsvCountsOne, Msg::CsvCounts).replace("{ok}", &ok.to_string()).replace("{bad}", &bad.to_string())
            }}</p>
            <div class="table-wrap" tabindex="0">
                <table class="preview-table">
                    <caption class="sr-only">{tr(Msg::CsvPreview)}</caption>
                    <thead><tr>
                        <th scope="col">{tr(Msg::Line)}</th>
                        <th scope="col">{tr(Msg::Problems)}</th>
                        <th scope="col">{tr(Msg::FirstName)}</th>
                        <th scope="col">{tr(Msg::Infix)}</th>
                        <th scope="col">{tr(Msg::LastName)}</th>
                        <th scope="col">{tr(Msg::Email)}</th>
                        <th scope="col">{tr(Msg::Mobile)}</th>
                        <th scope="col">{tr(Msg::DateOfBirth)}</th>
                        <th scope="col">{tr(Msg::Employed)}</th>
                    </tr></thead>
                    <tbody>
                        {move || shown().into_iter().map(|(i, row)| view! { <PreviewRow i row preview recheck/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Show when=move || { pages() > 1 }>
                <nav class="pager" aria-label=tr(Msg::CsvPreview)>
                    <button type="button" class="secondary" disabled=move || { page.get() == 0 }
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{tr(Msg::Previous)}</button>
                    <span>{move || i18n.t(Msg::PageNOfM).replace("{n}", &(page.get() + 1).to_string()).replace("{m}", &pages().to_string())}</span>
                    <button type="button" class="secondary" disabled=move || { page.get() + 1 >= pages() }
                        on:click=move |_| page.update(|p| *p += 1)>{tr(Msg::Next)}</button>
                </nav>
            </Show>
            <div class="step-buttons">
                <button type="button" class="secondary" on:click=move |_| preview.set(None)>{tr(Msg::ClosePreview)}</button>
                <button type="button" class="primary" disabled=move || { counts().0 == 0 } on:click=take_over>
                    {move || i18n.t(Msg::TakeOverValid).replace("{n}", &counts().0.to_string())}
                </button>
            </div>
        </section>
    }
}

/// `text` ending as a sentence does, with a full stop unless it has one (or ? or !).
fn sentence(mut text: String) -> String {
    if !text.trim_end().ends_with(['.', '?', '!']) {
        text.truncate(text.trim_end().len());
        text.push('.');
    }
    text
}

/// One preview row: plain text when valid, inputs to correct it in place when not.
#[component]
fn PreviewRow(
    i: usize,
    row: ImportRow,
    preview: RwSignal<Option<Vec<ImportRow>>>,
    recheck: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let line = row.line;
    // Each problem a sentence of its own: "Voornaam: Vul dit veld in. E-mailadres: …".
    let problems_text = row
        .problems
        .iter()
        .map(|p| {
            sentence(format!(
                "{}: {}",
                i18n.field_name(p.field),
                i18n.rule(p.field, p.code)
            ))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let ok = row.problems.is_empty();
    let set = move |get: fn(&mut NewUser) -> &mut String, value: String| {
        preview.update(|p| {
            if let Some(r) = p.as_mut().and_then(|rows| rows.get_mut(i)) {
                *get(&mut r.user) = value;
            }
        });
        recheck();
    };
    let bad_fields: Vec<Field> = row.problems.iter().map(|p| p.field).collect();
    let employed_bad = bad_fields.contains(&Field::Employed);
    let cell =
        move |value: String, field: Field, label: Msg, get: fn(&mut NewUser) -> &mut String| {
            let bad = bad_fields.contains(&field);
            if ok {
                view! { <td>{value}</td> }.into_any()
            } else {
                let aria = format!(
                    "{} ({} {})",
                    i18n.t(label),
                    i18n.t(Msg::Line).to_lowercase(),
                    line
                );
                view! {
                    <td><input class="cell" aria-label=aria aria-invalid=bad.to_string() value=value
                        on:change=move |ev| set(get, event_target_value(&ev))/></td>
                }
                .into_any()
            }
        };
    let u = row.user.clone();
    let employed = if u.employed {
        i18n.t(Msg::Yes)
    } else {
        i18n.t(Msg::No)
    };
    let employed_cell = if ok || !employed_bad {
        view! { <td>{employed}</td> }.into_any()
    } else {
        let aria = format!(
            "{} ({} {})",
            i18n.t(Msg::Employed),
            i18n.t(Msg::Line).to_lowercase(),
            line
        );
        view! {
            <td><select aria-label=aria on:change=move |ev| {
                let yes = event_target_value(&ev) == "ja";
                preview.update(|p| if let Some(r) = p.as_mut().and_then(|rows| rows.get_mut(i)) {
                    r.user.employed = yes;
                    r.problems.retain(|p| p.field != Field::Employed);
                });
                recheck();
            }>
                <option value="">{tr(Msg::ChooseOption)}</option>
                <option value="ja">{tr(Msg::Yes)}</option>
                <option value="nee">{tr(Msg::No)}</option>
            </select></td>
        }
        .into_any()
    };
    view! {
        <tr class=if ok { "ok" } else { "bad" }>
            <td>{line}</td>
            <td class=if ok { "problems ok-text" } else { "problems error-text" }>{if ok { i18n.t(Msg::RowOk).to_string() } else { problems_text }}</td>
            {cell(u.first_name.clone(), Field::FirstName, Msg::FirstName, |u| &mut u.first_name)}
            {cell(u.infix.clone(), Field::Infix, Msg::Infix, |u| &mut u.infix)}
            {cell(u.last_name.clone(), Field::LastName, Msg::LastName, |u| &mut u.last_name)}
            {cell(u.email.clone(), Field::Email, Msg::Email, |u| &mut u.email)}
            {cell(u.mobile.clone(), Field::Mobile, Msg::Mobile, |u| &mut u.mobile)}
            {cell(u.date_of_birth.clone(), Field::DateOfBirth, Msg::DateOfBirth, |u| &mut u.date_of_birth)}
            {employed_cell}
        </tr>
    }
}
