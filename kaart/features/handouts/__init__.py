"""kaart.features.handouts."""
