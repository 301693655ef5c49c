from dangshi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.server_urls"
