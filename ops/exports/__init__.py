"""Exports (書き出し): the centre's data for the people who ask for it (the prefecture, the insurer, the city), as
XLSX and CSV, per dataset, for the roles that may have it and with the columns the privacy registry gives them."""
