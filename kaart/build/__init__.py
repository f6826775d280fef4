"""kaart.build.site."""
