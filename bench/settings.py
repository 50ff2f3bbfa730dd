"""Settings of the benchmark server: the product's, with ``bench.web`` as URLconf."""

from khuyencong.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web"
