//! The domain's tests: given a case's history, when a command is given, then these events or
//! this refusal. One binary, a module per concern.

mod appeals;
mod calendar;
mod docs;
mod eligibility;
mod grants;
mod lifecycle;
mod money;
mod payout;
mod programmes;
mod properties;
mod protection;
mod refusals;
mod roles;
mod rules;
mod snapshots;
mod support;
mod values;
