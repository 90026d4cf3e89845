# The applicant's own pages.
