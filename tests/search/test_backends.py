"""Choosing the backend, the Elasticsearch mapping, and Elasticsearch being down."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from skills.search import IndexSchema, SearchError, SearchErrorCode, choose_backend, open_backend
from skills.search.elastic import ElasticBackend, index_body
from skills.search.embedded import EmbeddedBackend


def test_a_url_chooses_elasticsearch_and_nothing_chooses_embedded() -> None:
    assert choose_backend(None) == "embedded"
    assert choose_backend("  ") == "embedded"
    assert choose_backend("http://search:9200") == "elasticsearch"
    assert choose_backend("HTTPS://search.example:443") == "elasticsearch"
    with pytest.raises(ValueError):
        choose_backend("search:9200")


async def test_open_backend_reads_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINGXI_SEARCH_URL", raising=False)
    assert isinstance(open_backend(tmp_path), EmbeddedBackend)
    monkeypatch.setenv("LINGXI_SEARCH_URL", "http://search.test:9200")
    backend = open_backend(tmp_path)
    assert isinstance(backend, ElasticBackend) and backend.url == "http://search.test:9200"
    await backend.close()


def test_mapping_uses_whitespace_text_keywords_and_a_cosine_vector() -> None:
    body = index_body(IndexSchema(text=("body",), keywords=("home",), stored=("page",), vector_dims=384))
    props = body["mappings"]["properties"]
    assert body["mappings"]["dynamic"] == "strict"
    assert props["body"] == {"type": "text", "analyzer": "whitespace"}
    assert props["home"] == {"type": "keyword"}
    assert props["doc_vector"] == {"type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine"}
    assert "page" not in props  # stored fields travel inside the non-indexed source


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_elasticsearch_down_is_unavailable() -> None:
    backend = ElasticBackend(f"http://127.0.0.1:{_closed_port()}", max_retries=0, request_timeout=2)
    try:
        with pytest.raises(SearchError) as err:
            await backend.open_index("docs", IndexSchema(text=("body",)))
        assert err.value.reason is SearchErrorCode.UNAVAILABLE
    finally:
        await backend.close()
