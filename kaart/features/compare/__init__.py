"""kaart.features.compare."""
