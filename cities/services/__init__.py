"""Writes of the cities app: the GeoNames gazetteer import (:mod:`.gazetteer`)."""
