"""The JSON API: the published Subprojects and Access Keys contracts, under /api."""
