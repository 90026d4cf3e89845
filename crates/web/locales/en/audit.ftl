# audit: the auditor's page.

audit-title = Audit
audit-the-log = The log
audit-verifies = The log verifies.
audit-verifies-detail = The hash chain is whole, every case's history obeys the rules, and every stored status and command record says what the log says.
audit-does-not-verify = The log does not verify.
audit-does-not-verify-detail = See what was found below.
audit-events-checked = Events checked in the chain
audit-last-good-position = Last good position
audit-hash-there = Hash there
audit-chain = Chain
audit-chain-whole = whole
audit-chain-broken-at = broken at position { $position }
audit-cases-replayed = Cases replayed
audit-commands-replayed = Commands decided again
audit-not-replayable = Commands that cannot be decided again
audit-not-replayable-count = { $shown } (no decision time recorded, or the personal data they need was erased)
audit-first-illegal = First event that breaks a case's rules
audit-first-illegal-none = none
audit-first-illegal-at = position { $position } in { $stream }
audit-derived = Stored statuses and command records compared with the log
audit-derived-checked = { $statuses ->
        [one] one status
       *[other] { $statuses_shown } statuses
    }, { $records ->
        [one] one command record
       *[other] { $records_shown } command records
    }:
audit-derived-agree = all as the log says
audit-derived-differ = { $count ->
        [one] { $shown } differs
       *[other] { $shown } differ
    }
audit-against = Against the checkpoint
audit-extends = the log reaches the checkpoint's position with the hash it signed
audit-extends-truncated = the log ends at position { $head }, before the checkpoint: it has been cut short
audit-extends-rewritten = the hash at the checkpoint's position is { $found }, not the one signed: the history has been rewritten
audit-extends-chain-broken = the chain breaks before the checkpoint's position, so what the log holds there is unknown

audit-mismatches = Derived tables that differ from the log
audit-mismatches-why = Every read of a case's status, every queue and the deadline scheduler go by the stored statuses; a retried command is answered from its record. These rows say something the log does not.
audit-table = Table
audit-case = Case
audit-position = Position
audit-what-differs = What differs
audit-table-status = stored status
audit-table-command-record = command record
audit-more = { $count ->
        [one] And one more.
       *[other] And { $shown } more.
    }

audit-head = The head checkpoint
audit-head-keep = Keep these two figures outside the database: a log that later fails to reach this position with this hash has been cut short or rewritten.
audit-head-sign = To sign them as a checkpoint:
audit-hash = Hash

audit-check = Check a signed checkpoint
audit-checkpoint = Checkpoint (the JSON retur checkpoint printed)
audit-public-key = Your public key (PEM)
audit-verify-against = Verify against it

audit-travel = A case as it stood on a day
audit-travel-case = Case id
audit-travel-day = As of the end of
audit-travel-show = Show
