//! The fixture kit (`retur_domain::testing`), as the domain's tests use it.

pub(crate) use retur_domain::testing::*;

/// A well-formed action of every kind: the kit's [`sample`].
pub(crate) fn sample_action(kind: retur_domain::CommandKind) -> retur_domain::Action {
    sample(kind)
}
