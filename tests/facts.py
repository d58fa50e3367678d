"""Facts from the real data (../shared/data) that several tests check."""

# Mercociudades' 12 founders (network_founding_members.csv; the case study), as city slugs.
MERCOCIUDADES_FOUNDERS = frozenset({
    "asuncion-py", "rosario-ar", "la-plata-ar", "cordoba-ar", "buenos-aires-ar", "florianopolis-br",
    "porto-alegre-br", "curitiba-br", "rio-de-janeiro-br", "brasilia-br", "salvador-br", "montevideo-uy",
})  # fmt: skip

# The second research pass (../shared/data, README "Additions (December 2026)").
#: entries of the Eurocities member list copied from its website (May 2025); one municipality is
#: listed twice with two spellings (Ambelokipi-/Ampelokipoi-Menemeni)
EUROCITIES_LIST_2025_ENTRIES = 227
#: the day the second pass read its stored copies (every row's `accessed`)
SECOND_PASS_ACCESSED = "2026-12-02"
#: Mercociudades summits: the 8th (case study: "at the 8th Summit in 2002"; host from the title of
#: the declaration it cites, "Cumbre 2002, Asunción"), and the 30th, which elected Canelones
SUMMIT_VIII = (8, 2002, "asuncion-py")
SUMMIT_XXX = (30, "2025-12-03", "niteroi-br")
#: Canelones presides Mercociudades "a partir de diciembre de 2026", for 2026-27, elected by
#: consensus at the 30th assembly (Niterói, 5 Dec 2025); Belo Horizonte holds the vice-presidency
CANELONES_PRESIDENCY = ("canelones-uy", "2026-12", "Francisco Legnani")
#: twinnings.csv: 47 agreements; one (Niterói–Canelones) names an ambiguous partner
TWINNINGS_STATED = 46
#: twinnings with their year as the sources give it (city slugs in either order)
TWINNINGS_DATED = {
    ("cordoba-ar", "montevideo-uy"): "1997",
    ("buenos-aires-ar", "berlin-de"): "1994",
    ("sao-paulo-br", "milan-it"): "1962",
    ("curitiba-br", "coimbra-pt"): "1975",
}
#: Wikidata QIDs of wikidata_ids.csv marked "matched" (dr5hn, datasets-br or two third-party sources)
WIKIDATA_IDS = {"montevideo-uy": "Q1335", "buenos-aires-ar": "Q1486", "lisbon-pt": "Q597", "the-hague-nl": "Q36600"}
COUNTRY_WIKIDATA_IDS = {"AR": "Q414", "UY": "Q77", "BO": "Q750"}
#: QIDs the data marks check or uncertain: left empty
UNCHECKED_QID_CITIES = frozenset({"amsterdam-nl", "stockholm-se", "brussels-be", "tandil-ar", "la-plata-ar"})
#: projects: 14 rows of cooperation_projects.csv, two of them one project ("State + Rights"), and
#: 10 of its additions (one more adds to the 2017 call; a training that may be a known one is out)
PROJECTS = 23
#: the projects of the Mercociudades South–South Cooperation Programme among them
SOUTH_SOUTH_PROJECTS = 19
#: projects linked to an SDG by a source (project_sdg_links.csv)
SDG_PROJECTS = {
    4: {"ssc-2018-primera-infancia"},
    5: {"ssc-2021-nuevos-aires", "ssc-2021-ciudad-digital"},
    11: {"ssc-2021-nuevos-aires", "ssc-2021-ciudad-digital"},
    17: {"ssc-2021-nuevos-aires", "ssc-2021-ciudad-digital"},
}
#: Mercociudades' members in Uruguay: Montevideo (founder), Canelones, and Maldonado, Salto and
#: Rocha (stated by the second pass: culture unit roles in 2008, the disability unit in 2025)
URUGUAYAN_MEMBERS = frozenset({"montevideo-uy", "canelones-uy", "maldonado-uy", "salto-uy", "rocha-uy"})
#: the countries recorded in MERCOSUR: the four founders, Venezuela (suspended), Bolivia
#: (acceding, 2015) and the six associated states
MERCOSUR_COUNTRIES = frozenset({"AR", "BR", "PY", "UY", "VE", "BO", "CL", "CO", "EC", "GY", "PE", "SR"})
