"""kaart.features.figures."""
