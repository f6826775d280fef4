"""kaart.features.opendata: the map as open data (CSV, JSON, JSON-LD) and its page /data/."""
