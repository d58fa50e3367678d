"""Facts from the real data (../shared/data) that several tests check."""

# Mercociudades' 12 founders (network_founding_members.csv; the case study), as city slugs.
MERCOCIUDADES_FOUNDERS = frozenset({
    "asuncion-py", "rosario-ar", "la-plata-ar", "cordoba-ar", "buenos-aires-ar", "florianopolis-br",
    "porto-alegre-br", "curitiba-br", "rio-de-janeiro-br", "brasilia-br", "salvador-br", "montevideo-uy",
})  # fmt: skip
