"""Words of places: what names a region, a crossing, a building or street, a place's people or its
institutions, and the US cities AP style names without their state."""

from __future__ import annotations

# a word that ends a region's name: "Helmand province", "Pierce County", "Donetsk oblast"
REGION_WORDS = frozenset({"province", "district", "governorate", "oblast", "county", "prefecture", "state", "region"})
# a region whose name ends so lies inside a province or state ("Andar district", "Pierce County"); ISO
# 3166-2 lists provinces and states, not these
SECOND_LEVEL_WORDS = ("district", "county", "parish", "borough", "township")
# any capitalized name before one of these is a region, also a Dari or Pashto name the tokenizer cut
# ("Sar-e Pul province"): the gazetteer's span patterns
PROVINCE_WORDS = ("province", "district", "governorate", "oblast")
# a word an ISO 3166-2 name ends in that the place is also named without ("Kyiv Oblast": "Kyiv")
SUBDIVISION_WORDS = ("oblast", "province", "governorate", "state", "region")

# what follows the name of a border crossing ("the Rafah crossing", "Kerem Shalom border post")
CROSSING_WORDS = ("crossing", "gate", "checkpoint", "bridge", "border crossing", "crossing point", "border post")

# a "person" whose name ends so is a building or a street ("Nasser Hospital")
FACILITIES = frozenset(
    {
        "road",
        "street",
        "avenue",
        "boulevard",
        "highway",
        "hospital",
        "school",
        "mosque",
        "church",
        "camp",
        "square",
        "market",
        "bridge",
        "airport",
        "stadium",
        "university",
    }
)
# "Augusta man shot": a place name before a word for its people is the place they are from
RESIDENTS = frozenset(
    {
        "man",
        "woman",
        "teen",
        "teenager",
        "boy",
        "girl",
        "police",
        "officer",
        "resident",
        "residents",
        "family",
        "couple",
        "homeowner",
    }
)
# an institution named after its place ends in one of these: "the Chicago Police Department", "Tampa Bay Times"
INSTITUTIONS = frozenset(
    {
        "police",
        "department",
        "sheriff",
        "sheriff's",
        "fire",
        "city",
        "county",
        "district",
        "municipal",
        "public",
        "school",
        "schools",
        "court",
        "council",
        "transit",
        "housing",
        "times",
        "post",
        "news",
        "herald",
        "tribune",
        "journal",
        "gazette",
        "chronicle",
        "sentinel",
    }
)
# a "person" whose name ends so is a town's police: "according to Sanford Police"
POLICE_WORDS = frozenset({"police", "sheriff", "sheriff's", "department", "office"})

# AP style names these US cities without their state: any other town of another state than the
# story's is written with its state ("Austin, Texas"), so a bare one is a local namesake
AP_CITIES = frozenset(
    {
        ("atlanta", "GA"), ("baltimore", "MD"), ("boston", "MA"), ("chicago", "IL"), ("cincinnati", "OH"),
        ("cleveland", "OH"), ("dallas", "TX"), ("denver", "CO"), ("detroit", "MI"), ("honolulu", "HI"),
        ("houston", "TX"), ("indianapolis", "IN"), ("las vegas", "NV"), ("los angeles", "CA"), ("miami", "FL"),
        ("milwaukee", "WI"), ("minneapolis", "MN"), ("new orleans", "LA"), ("new york", "NY"),
        ("new york city", "NY"), ("oklahoma city", "OK"), ("philadelphia", "PA"), ("phoenix", "AZ"),
        ("pittsburgh", "PA"), ("st louis", "MO"), ("salt lake city", "UT"), ("san antonio", "TX"),
        ("san diego", "CA"), ("san francisco", "CA"), ("seattle", "WA"), ("washington", "DC"),
    }
)  # fmt: skip

__all__ = [
    "AP_CITIES",
    "CROSSING_WORDS",
    "FACILITIES",
    "INSTITUTIONS",
    "POLICE_WORDS",
    "PROVINCE_WORDS",
    "REGION_WORDS",
    "RESIDENTS",
    "SECOND_LEVEL_WORDS",
    "SUBDIVISION_WORDS",
]
