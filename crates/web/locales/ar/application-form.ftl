# The application form an applicant fills in.
