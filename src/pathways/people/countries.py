"""Country names for the countries Pathways knows (ISO 3166 alpha-2 codes): the ones it ships crisis lines for.

People choose their country from these (sign-up, About me, an organisation's page); safety reads the same list."""

COUNTRY_NAMES = {
    "AU": "Australia",
    "CA": "Canada",
    "FR": "France",
    "IE": "Ireland",
    "NL": "Netherlands",
    "NZ": "New Zealand",
    "GB": "United Kingdom",
    "US": "United States",
}


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    return [("", "Somewhere else, or I'd rather not say")] + sorted(COUNTRY_NAMES.items(), key=lambda item: item[1])
