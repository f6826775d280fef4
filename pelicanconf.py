"""Pelican settings for kaart. `pelican -s pelicanconf.py` and `kaart build` use this file."""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

SITENAME = "Kaart re-integratie en werkplekleren Gent"
SITEURL = ""
PATH = "content"
THEME = "theme"
THEME_STATIC_DIR = "theme"
OUTPUT_PATH = "build"
DEFAULT_LANG = "nl"
TIMEZONE = "Europe/Brussels"
DEFAULT_DATE = "fs"
RELATIVE_URLS = True

PLUGINS = ["kaart.build.plugin"]

# kaart settings
KAART_ROOT = _HERE
# Where the "bewerk deze fiche" links point; override with the repository that hosts the data.
KAART_REPO_URL = os.environ.get("KAART_REPO_URL", "https://github.com/gent-werk/kaart")
KAART_REPO_BRANCH = "main"
# The address the site is published at, printed on handouts; empty prints site-relative paths.
KAART_PUBLIC_URL = os.environ.get("KAART_PUBLIC_URL", "")

# Contributor text reaches the templates: escape everything unless a template says otherwise.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# kaart writes its own pages; Pelican only renders the Markdown pages in content/pages/.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = ""
ARTICLE_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
TAGS_SAVE_AS = ""
TAG_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
STATIC_PATHS = []

# Builds must be byte-identical: no caches whose state could leak into the output.
LOAD_CONTENT_CACHE = False
CACHE_PATH = os.path.join(_HERE, ".cache", "pelican")
