# The case page, as caseworkers and auditors see it.

diagram-title = The lifecycle of a case; this case is { $state }
diagram-this-case-is = This case is
diagram-no-way-on = No command moves it on from here.
diagram-ways-out = From here it can go to:
diagram-sweeping = A case can be withdrawn, or end in a forced return, from any state before departure; an approval can be revoked, and lapse, until departure. Those ways are drawn only from the case's own state.
