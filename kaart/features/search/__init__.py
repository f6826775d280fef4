"""kaart.features.search."""
