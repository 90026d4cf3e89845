# forms
