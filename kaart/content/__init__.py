"""kaart.content."""
