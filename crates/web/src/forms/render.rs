//! A command's form drawn as HTML: its fields by household member, with what came back wrong
//! beside each.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use maud::{Markup, html};
use retur_domain::{CaseId, CommandKind, CountryCode};
use uuid::Uuid;

use super::fields::{Field, Input, LANGUAGES, MOST_MEMBERS, ROLES, extra_members, fields_for};
use super::read::member_index;
use crate::i18n::{self, t};
use crate::{role_label, words};

/// A person a form can name: their id, and how the page shows them to this role.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub(crate) id: String,
    pub(crate) label: String,
}

/// What was sent in a form that could not be recorded: shown again, with what is wrong.
#[derive(Debug, Default)]
pub(crate) struct Filled {
    pub(crate) command: Option<CommandKind>,
    pub(crate) values: Vec<(String, String)>,
    /// By field name.
    pub(crate) errors: BTreeMap<String, String>,
    /// About the command as a whole: a rule refused it, another caseworker holds the case.
    pub(crate) general: Option<String>,
}

impl Filled {
    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// The form for `kind` on a case at `version`; `filled` when it comes back with problems. A
/// form with fields folds away unless it is `open` (or came back).
pub(crate) fn form(
    case: CaseId,
    kind: CommandKind,
    people: &[Person],
    version: u64,
    filled: Option<&Filled>,
    open: bool,
) -> Markup {
    let name = kind.name();
    let no_values = Vec::new();
    let values = filled.map_or(&no_values, |f| &f.values);
    let fields = fields_for(kind, values);
    let members = extra_members(values);
    let open = open || filled.is_some();
    let visible = fields.iter().filter(|f| f.input != Input::Hidden).count();
    // A form that came back shows what was typed; a field it did not have (the member just
    // made room for) starts as a new one does.
    let value = |field: &Field| -> String {
        match filled.and_then(|filled| filled.value(&field.name)) {
            Some(typed) => typed.to_owned(),
            None if filled.is_some() && field.input != Input::Hidden => String::new(),
            None => field.initial.clone(),
        }
    };
    let error = |field: &str| filled.and_then(|f| f.errors.get(field));
    let body = html! {
        form.command method="post" action={ "/ui/cases/" (case) "/commands/" (name) }
            data-command=(name) novalidate {
            input type="hidden" name="_version" value=(version);
            input type="hidden" name="_command_id" value=(Uuid::now_v7());
            @if let Some(general) = filled.and_then(|f| f.general.as_ref()) {
                p.error.general role="alert" { (general) }
            }
            @if let Some(errors) = filled.map(|f| &f.errors).filter(|e| !e.is_empty()) {
                div.error-summary role="alert" {
                    p { strong { (t!("apply-error-summary")) } }
                    ul {
                        @for (field, problem) in errors {
                            li { a href={ "#" (id(name, field)) } {
                                (t!("apply-error-in-field", field = label_of(&fields, field), problem = problem))
                            } }
                        }
                    }
                }
            }
            @for (member, group) in by_member(&fields) {
                @match member {
                    Some(index) => {
                        fieldset.member {
                            legend { (member_legend(index, members)) }
                            @for field in group {
                                (input(name, field, &value(field), filled, error(&field.name), people))
                            }
                        }
                    },
                    None => @for field in group {
                        (input(name, field, &value(field), filled, error(&field.name), people))
                    },
                }
            }
            @if kind == CommandKind::Submit {
                div.data-use {
                    h3 { (t!("apply-data-use-heading")) }
                    p { (t!("apply-data-use")) }
                }
            }
            // The command's own button comes first, so that Enter in a field sends the form.
            div.buttons {
                button type="submit" { (words(name)) }
                @if kind == CommandKind::Submit && members < MOST_MEMBERS {
                    input type="hidden" name="_members" value=(members);
                    button.secondary type="submit" name="_add_member" value="yes" formnovalidate {
                        (t!("apply-add-member"))
                    }
                }
            }
        }
    };
    if visible == 0 {
        return html! { div.action.quick { (body) } };
    }
    html! {
        details.action open[open] {
            summary { (words(name)) }
            (body)
        }
    }
}

/// The fields in runs: each member of a household together, under a legend of its own, so that
/// the same labels in each are told apart.
pub(super) fn by_member(fields: &[Field]) -> Vec<(Option<usize>, Vec<&Field>)> {
    let mut runs: Vec<(Option<usize>, Vec<&Field>)> = Vec::new();
    for field in fields {
        let member = member_index(&field.name);
        match runs.last_mut() {
            Some((last, run)) if *last == member => run.push(field),
            _ => runs.push((member, vec![field])),
        }
    }
    runs
}

fn member_legend(index: usize, members: usize) -> String {
    match index {
        0 => t!("apply-legend-principal"),
        n => t!("apply-legend-member", number = n, total = members),
    }
}

/// Every country the domain accepts (each assigned ISO 3166-1 code, and Kosovo's).
static COUNTRIES: LazyLock<Vec<CountryCode>> = LazyLock::new(|| {
    let letters = || b'A'..=b'Z';
    letters()
        .flat_map(|first| letters().map(move |second| [first, second]))
        .filter_map(|code| CountryCode::parse(std::str::from_utf8(&code).ok()?).ok())
        .collect()
});

/// What a field of one choice offers, as `(value, words)` in the page's language: codes as their
/// words, countries by name in the order of their names, people as this role may see them.
fn options(input: Input, people: &[Person]) -> Vec<(String, String)> {
    match input {
        Input::Choice(codes) => codes
            .iter()
            .map(|code| ((*code).to_owned(), words(code)))
            .collect(),
        Input::Country => {
            let mut countries: Vec<_> = COUNTRIES
                .iter()
                .map(|code| (code.as_str().to_owned(), i18n::country(code)))
                .collect();
            i18n::sort_by_name(&mut countries);
            countries
        }
        Input::Language => {
            let mut languages: Vec<_> = LANGUAGES
                .iter()
                .map(|code| ((*code).to_owned(), i18n::language(code)))
                .collect();
            i18n::sort_by_name(&mut languages);
            languages
        }
        Input::Person | Input::People => people
            .iter()
            .map(|person| (person.id.clone(), person.label.clone()))
            .collect(),
        Input::Roles => ROLES
            .iter()
            .map(|role| (role.as_str().to_owned(), role_label(*role)))
            .collect(),
        _ => Vec::new(),
    }
}

fn id(command: &str, field: &str) -> String {
    let mut id = format!("{command}-");
    id.extend(
        field
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id
}

fn label_of(fields: &[Field], name: &str) -> String {
    fields
        .iter()
        .find(|f| f.name == name)
        .map_or_else(|| words(name), |f| f.label.clone())
}

fn input(
    command: &str,
    field: &Field,
    value: &str,
    filled: Option<&Filled>,
    problem: Option<&String>,
    people: &[Person],
) -> Markup {
    let chosen = filled.map(|f| f.all(&field.name)).unwrap_or_default();
    let id = id(command, &field.name);
    let name = field.name.as_str();
    let described = {
        let mut ids = Vec::new();
        if field.hint.is_some() {
            ids.push(format!("{id}-hint"));
        }
        if problem.is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let invalid = problem.map(|_| "true");
    let hint = html! {
        @if let Some(hint) = &field.hint { p.hint id={ (id) "-hint" } { (hint) } }
        @if let Some(problem) = problem { p.error id={ (id) "-error" } { (problem) } }
    };
    let label = html! {
        (field.label)
        @if !field.required && !matches!(field.input, Input::Flag | Input::People | Input::Roles) {
            span.optional { " " (t!("apply-optional")) }
        }
    };
    match field.input {
        Input::Hidden => html! { input type="hidden" name=(name) value=(value); },
        Input::Flag => html! {
            div.field.flag.invalid[problem.is_some()] {
                input type="checkbox" id=(id) name=(name) value="true" checked[!value.is_empty()]
                    aria-invalid=[invalid] aria-describedby=[described.as_deref()];
                label for=(id) { (field.label) }
                (hint)
            }
        },
        Input::People | Input::Roles => html! {
            fieldset.field.invalid[problem.is_some()] id=(id) aria-describedby=[described.as_deref()] {
                legend { (field.label) }
                (hint)
                @for (i, (value, text)) in options(field.input, people).iter().enumerate() {
                    div.flag {
                        input type="checkbox" id={ (id) "-" (i) } name=(name) value=(value)
                            checked[chosen.contains(&value.as_str())];
                        label for={ (id) "-" (i) } { (text) }
                    }
                }
            }
        },
        Input::Amount => {
            let currency_name = format!("{name}.currency");
            let major_name = format!("{name}.major");
            let part = |name: &str| filled.and_then(|f| f.value(name)).unwrap_or_default();
            let currency = match filled {
                Some(_) => part(&currency_name),
                None => "NOK",
            };
            let major = part(&major_name);
            html! {
                fieldset.field.amount.invalid[problem.is_some()] id=(id) aria-describedby=[described.as_deref()] {
                    legend { (field.label) }
                    (hint)
                    label for={ (id) "-currency" } { (t!("form-currency")) }
                    input id={ (id) "-currency" } name=(currency_name) size="4" maxlength="3"
                        value=(currency);
                    label for={ (id) "-major" } { (t!("form-amount-major")) }
                    input id={ (id) "-major" } name=(major_name) inputmode="decimal"
                        value=(major)
                        aria-invalid=[invalid];
                }
            }
        }
        Input::Text
        | Input::LongText
        | Input::Date
        | Input::Time
        | Input::Choice(_)
        | Input::Country
        | Input::Language
        | Input::Person => html! {
            div.field.invalid[problem.is_some()] {
                label for=(id) { (label) }
                (hint)
                @match field.input {
                    Input::LongText => textarea id=(id) name=(name) rows="4" required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()] { (value) },
                    Input::Date => input type="date" id=(id) name=(name) value=(value) required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()];,
                    Input::Time => input type="time" id=(id) name=(name) value=(value) required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()];,
                    Input::Choice(_) | Input::Country | Input::Language | Input::Person => select id=(id) name=(name)
                        required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()] {
                        option value="" { (t!("apply-choose")) }
                        @for (option, text) in options(field.input, people) {
                            option value=(option) selected[option == value] { (text) }
                        }
                    },
                    _ => input type="text" id=(id) name=(name) value=(value) required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()];,
                }
            }
        },
    }
}
