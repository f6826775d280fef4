"""kaart.features.graph."""
