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

# What the audit found, with its figures: where the hash chain breaks, why a command breaks
# the rules, and what differs in a stored status or command record.
audit-break-missing = position { $position } is missing
audit-break-skipped = position { $missing } is missing; the next stored is { $next }
audit-break-hash-differs = the stored hash { $stored } is not the hash of the stored event, { $computed }

audit-illegal-unreadable = the event at position { $position } cannot be read: { $why }
audit-illegal-not-a-command = no command records the events { $events } together
audit-illegal-invalid-actor = the recorded actor “{ $actor }” as “{ $role }” is not valid
audit-illegal-other-events = deciding the command again gives other events (the rules for its date may have changed since)
audit-illegal-refused = the rules refuse this command: { $refusal }
audit-quoted = “{ $text }”

audit-unreadable-schema-version = schema version { $version } is out of range
audit-unreadable-unknown-type = unknown event type “{ $event_type }”
audit-unreadable-unknown-version = event type “{ $event_type }” at schema version { $version } cannot be read: this build reads versions 1 to { $newest } of it
audit-unreadable-payload = event type “{ $event_type }” has a payload that does not parse: { $detail }
audit-unreadable-sealed = the sealed data of person { $person }: { $why }
audit-unsealing-not-base64 = not base64
audit-unsealing-too-short = too short to hold a nonce
audit-unsealing-does-not-open = does not open with the person's key (altered or moved)
audit-unsealing-not-json = opens to something that is not JSON: { $detail }

audit-mismatch-no-status = the case has no stored status: every read of it fails
audit-mismatch-status-behind = the stored status is of version { $version } at position { $position }; the log has the case at version { $log_version }
audit-mismatch-status-elsewhere = the stored status names position { $position }; version { $version } of the case is at position { $log_position }
audit-mismatch-status-unreadable = the stored status cannot be read (state “{ $state }”); the log says { $log }
audit-mismatch-other-state = the stored state is { $stored }; the log says { $log }
audit-mismatch-other-owner = the stored status says the move is { $stored }'s; the log says { $log }'s
audit-mismatch-other-deadline = the stored next deadline is { $stored }; the log gives { $log }
audit-mismatch-other-figures = the stored figures are { $stored }; the log gives { $log }
audit-mismatch-no-record = command { $command } wrote here and has no record: a retry of it would write again
audit-mismatch-other-record = the record of command { $command } says { $record }; its events are { $log }
audit-mismatch-status-unbacked = a status is stored for version { $version } at position { $position }, where the log has no event of this stream
audit-mismatch-record-unbacked = command { $command } has a record at position { $position }, where the log has no event of it: a retry of it would be answered with an outcome that never happened
audit-nobody = nobody
audit-deadline = “{ $kind }” on { $date }
audit-no-deadline = none
audit-span = { $stream } versions { $first }–{ $last } at positions { $from }–{ $to }

audit-head = The head checkpoint
audit-head-keep = Keep these two figures outside the database: a log that later fails to reach this position with this hash has been cut short or rewritten.
audit-head-sign = To sign them as a checkpoint:
audit-hash = Hash

audit-check = Check a signed checkpoint
audit-checkpoint = Checkpoint (the JSON retur checkpoint printed)
audit-public-key = Your public key (PEM)
audit-verify-against = Verify against it

# Why a pasted checkpoint or public key cannot be used.
audit-checkpoint-not-json = The checkpoint is not valid JSON (at line { $line }, column { $column }).
audit-checkpoint-not-an-object = The checkpoint is JSON, but not an object with a checkpoint's fields.
audit-checkpoint-missing-field = The checkpoint has no field “{ $field }”.
audit-checkpoint-unknown-field = The checkpoint has a field “{ $field }”, which is not a checkpoint's.
audit-checkpoint-wrong-type = The checkpoint's field “{ $field }” is not { $field ->
        [position] a whole number
        [made_at] an RFC 3339 time
       *[other] a string
    }.
audit-checkpoint-other-version = The checkpoint is a “{ $found }”, not a “retur-checkpoint-v1”.
audit-checkpoint-not-hex = The checkpoint's field “{ $field }” is not { $digits } hex digits.
audit-checkpoint-other-key = The checkpoint was signed by key { $found }, not by the key given ({ $expected }).
audit-checkpoint-bad-signature = The checkpoint's signature does not match its contents: it has been altered.
audit-key-not-pem = The key is not in PEM form, as openssl pkey -pubout writes it.
audit-key-other-kind = The PEM text is of another kind: it must begin with “-----BEGIN { $expected }-----”.
audit-key-other-algorithm = The key is not an Ed25519 key.
audit-key-malformed = The PEM text does not hold a valid Ed25519 key.

audit-travel = A case as it stood on a day
audit-travel-case = Case id
audit-travel-day = As of the end of
audit-travel-show = Show
