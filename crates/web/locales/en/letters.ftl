# Letters: decision and travel letters, in the applicant's language and in Norwegian.

letters-heading = Letters
letters-none = No letters yet: a letter is made for each decision the person must be told of.
letters-hint = Each letter is in the applicant's language and in Norwegian, as a PDF. The first time a letter is fetched it is issued: its hash is recorded in the log, so a copy can be checked later.
letters-kind-approval = Approval
letters-kind-refusal = Refusal
letters-kind-revocation = Revocation
letters-kind-appeal-outcome = Decision on the appeal
letters-kind-travel = Travel letter from IOM
letters-issued = issued { $at }
letters-not-issued = not issued yet
letters-no-such = The case has no letter for you at position { $position }.
