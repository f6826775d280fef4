"""kaart.core."""
