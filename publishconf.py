"""Settings for publishing: absolute URLs for the public address."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("KAART_PUBLIC_URL", "")
KAART_PUBLIC_URL = SITEURL
RELATIVE_URLS = not SITEURL
