"""The project's settings with one more URL: the floor view of the portal benchmark."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal.urls"
