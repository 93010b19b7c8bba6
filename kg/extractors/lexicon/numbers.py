"""Words of numbers: vague quantities and their bounds, the qualifiers before a number, and the words
that make a number a measure or a name rather than a count (read by kg.extractors.numbers)."""

from __future__ import annotations

# The contract's conventional lower bounds for vague quantities.
VAGUE: dict[str, int] = {
    "a couple": 2,
    "a few": 3,
    "several": 3,
    "multiple": 3,
    "numerous": 4,
    "many": 4,
    "a dozen": 12,
    "dozens": 24,
    "hundreds": 200,
    "thousands": 2000,
    "a number": 3,  # "a number of suspects": not in the contract's examples; read as "several"
}
# after digits, words that multiply them: "1.1 million", "3 dozen"
MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# the words of a vague quantity, one by one ("number" only in "a number of")
VAGUE_WORDS = (
    "several",
    "multiple",
    "numerous",
    "many",
    "dozens",
    "hundreds",
    "thousands",
    "dozen",
    "few",
    "couple",
    "number",
)

# qualifier words (lower case, in order) right before the number -> nkg qualifier
QUALIFIERS: dict[tuple[str, ...], str] = {
    ("no", "more", "than"): "AtMost",
    ("no", "fewer", "than"): "AtLeast",
    ("no", "less", "than"): "AtLeast",
    ("as", "many", "as"): "AtMost",
    ("more", "than"): "MoreThan",
    ("at", "least"): "AtLeast",
    ("up", "to"): "AtMost",
    ("fewer", "than"): "FewerThan",
    ("less", "than"): "FewerThan",
    ("an", "estimated"): "Approximately",
    ("over",): "MoreThan",
    ("about",): "Approximately",
    ("around",): "Approximately",
    ("some",): "Approximately",
    ("approximately",): "Approximately",
    ("roughly",): "Approximately",
    ("nearly",): "Approximately",
    ("almost",): "Approximately",
}
# a number inside an entity of these labels is a date, time, sum or measure: "Oct. 7", "$100 million"
NOT_PEOPLE_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
# a number right before these words measures something else
MEASURE_WORDS = {
    "year",
    "years",
    "-year",
    "a.m.",
    "p.m.",
    "am",
    "pm",
    "%",
    "percent",
    "block",
    "km",
    "miles",
    "mile",
    "kilometers",
    "kilometres",
    "meters",
    "metres",
    "feet",
    "foot",
    "hours",
    "hour",
    "minutes",
    "days",
    "day",
    "weeks",
    "months",
    "o'clock",
    "caliber",
    "calibre",
    "mm",
    "times",
}
# a gallery's pager: "Image 3 of 12"
PAGER_WORDS = ("image", "photo", "slide")
# a number right after these words names something ("Route 232", "No. 3", "aged 34")
NAMING_WORDS = {
    "route",
    "no.",
    "number",
    "channel",
    "aged",
    "age",
    "ages",
    "highway",
    "interstate",
    "i-",
    "flight",
    "unit",
    "apartment",
    "apt.",
    "suite",
    "district",
    "precinct",
    "ward",
    "section",
    "$",
    "£",
    "€",
    "page",
    "chapter",
    "article",
    "resolution",
    "brigade",
    "battalion",
    "regiment",
    *PAGER_WORDS,
}
