"""Which backend serves the indexes: the embedded one unless an Elasticsearch URL is configured.

Elasticsearch (and its client) is only imported when it is chosen, so an edge instance
without it never loads it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .types import SearchBackend

__all__ = ["ELASTICSEARCH", "EMBEDDED", "SEARCH_URL_ENV", "choose_backend", "open_backend"]

EMBEDDED = "embedded"
ELASTICSEARCH = "elasticsearch"
#: The environment variable naming the Elasticsearch cluster (``http://host:9200``).
SEARCH_URL_ENV = "LINGXI_SEARCH_URL"


def choose_backend(url: str | None) -> str:
    """``elasticsearch`` when ``url`` names a cluster (http or https), else ``embedded``."""
    if url is None or not url.strip():
        return EMBEDDED
    if not url.strip().lower().startswith(("http://", "https://")):
        raise ValueError(f"{SEARCH_URL_ENV} must be an http(s) URL, not {url!r}")
    return ELASTICSEARCH


def open_backend(data_dir: Path | str, url: str | None = None, **client_options: Any) -> SearchBackend:
    """The backend for ``url`` (default: ``$LINGXI_SEARCH_URL``); embedded indexes live in ``data_dir``."""
    url = os.environ.get(SEARCH_URL_ENV) if url is None else url
    if choose_backend(url) == ELASTICSEARCH:
        from .elastic import ElasticBackend

        return ElasticBackend(url.strip(), **client_options)  # type: ignore[union-attr]
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(data_dir)
