"""The search contract, one suite for every backend.

Runs against the embedded tantivy backend for real, and against the Elasticsearch backend
through the official client with :class:`testkit.fake_elasticsearch.FakeElasticsearchNode`
under it (the fake answers at the HTTP seam what an 8.x server answers). To run the same suite
against a real cluster as well, set ``LINGXI_TEST_ELASTICSEARCH_URL`` (e.g.
``http://localhost:9200``); its indexes are named ``lingxi-test-<random>-…`` and deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from skills.search import Document, IndexSchema, SearchError, SearchErrorCode
from skills.search.elastic import ElasticBackend
from skills.search.embedded import EmbeddedBackend
from testkit.fake_elasticsearch import FakeCluster, fake_node_class

REAL_ES = os.environ.get("LINGXI_TEST_ELASTICSEARCH_URL")

SCHEMA = IndexSchema(text=("title", "body"), keywords=("home", "tags"), stored=("meta",), vector_dims=3)

DOCS = [
    Document("vacuum-filter", {"title": "扫地机器人 X10", "body": "滤网建议每 3 个月更换一次", "home": "*",
                               "tags": ["manual", "zh"], "meta": {"page": 6, "lines": [1, 2]}}, [1.0, 0.0, 0.0]),
    Document("purifier-filter", {"title": "AP-300 Air Purifier", "body": "Filter life is 4,380 hours, about 6 months",
                                 "home": "*", "tags": ["manual", "en"], "meta": {"page": 9}}, [0.0, 1.0, 0.0]),
    Document("vacuum-e1", {"title": "扫地机器人 X10", "body": "E1 驱动轮卡住，请检查轮子", "home": "home-a",
                           "tags": "note", "meta": None}, [0.0, 0.0, 1.0]),
    Document("lamp", {"title": "Desk lamp", "body": "Brightness from 1% to 100%", "home": "home-b",
                      "tags": ["note"], "meta": "x"}, [0.6, 0.8, 0.0]),
]

OpenBackend = Callable[[], Awaitable[object]]

BACKENDS = ["embedded", "fake-elasticsearch"] + (["elasticsearch"] if REAL_ES else [])


@pytest.fixture(params=BACKENDS)
async def open_backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OpenBackend]:
    """A factory: each call opens a new backend over the same storage (a folder, a cluster)."""
    opened: list = []
    cluster = FakeCluster()
    prefix = f"lingxi-test-{uuid.uuid4().hex[:8]}-"

    async def factory():
        if request.param == "embedded":
            backend = EmbeddedBackend(tmp_path / "indexes")
        elif request.param == "fake-elasticsearch":
            backend = ElasticBackend("http://es.test:9200", index_prefix=prefix, node_class=fake_node_class(cluster))
        else:
            backend = ElasticBackend(REAL_ES, index_prefix=prefix)
        opened.append(backend)
        return backend

    yield factory
    if request.param == "elasticsearch":
        await opened[0].client.indices.delete(index=f"{prefix}*")
    for backend in opened:
        await backend.close()


@pytest.fixture
async def index(open_backend: OpenBackend):
    backend = await open_backend()
    idx = await backend.open_index("docs", SCHEMA)
    await idx.upsert(DOCS)
    return idx


async def test_count_all_and_filtered(index) -> None:
    assert await index.count() == 4
    assert await index.count({"home": "*"}) == 2
    assert await index.count({"home": ["*", "home-a"]}) == 3
    assert await index.count({"tags": "note"}) == 2  # one value or a list of values
    assert await index.count({"home": "*", "tags": "zh"}) == 1


async def test_bm25_finds_chinese_by_words_and_returns_fields_unchanged(index) -> None:
    hits = await index.bm25("扫地机的滤网多久换", k=3)
    assert hits[0].id == "vacuum-filter"
    assert hits[0].fields["meta"] == {"page": 6, "lines": [1, 2]}
    assert hits[0].fields["body"] == "滤网建议每 3 个月更换一次"


async def test_bm25_matches_traditional_characters_plurals_and_grouped_numbers(index) -> None:
    assert (await index.bm25("濾網", k=1))[0].id == "vacuum-filter"
    assert (await index.bm25("filters", k=1))[0].id == "purifier-filter"
    assert (await index.bm25("4380 hours", k=1))[0].id == "purifier-filter"


async def test_bm25_filters_and_fields(index) -> None:
    hits = await index.bm25("扫地机器人 e1", k=5, filters={"home": ["*"]})
    assert [h.id for h in hits] == ["vacuum-filter"]
    hits = await index.bm25("e1", k=5, filters={"home": ["*", "home-a"]})
    assert [h.id for h in hits] == ["vacuum-e1"]
    assert await index.bm25("x10", k=5, fields=("body",)) == []
    boosted = await index.bm25("x10 驱动轮", k=5, fields=("title^3", "body"))
    assert {h.id for h in boosted} == {"vacuum-filter", "vacuum-e1"}


async def test_bm25_without_terms_finds_nothing(index) -> None:
    assert await index.bm25("  的 the ", k=5) == []


async def test_knn_ranks_by_cosine_within_filters(index) -> None:
    hits = await index.knn([0.0, 1.0, 0.0], k=2)
    assert [h.id for h in hits] == ["purifier-filter", "lamp"]
    assert hits[0].score == pytest.approx(1.0, abs=1e-3)
    assert hits[1].score == pytest.approx(0.8, abs=1e-3)
    hits = await index.knn([0.0, 1.0, 0.0], k=2, filters={"home": "home-a"})
    assert [h.id for h in hits] == ["vacuum-e1"]
    assert hits[0].fields["tags"] == "note"


async def test_upsert_replaces_a_document(index) -> None:
    await index.upsert([Document("lamp", {"title": "Desk lamp", "body": "Colour temperature 3000 K to 6000 K",
                                          "home": "home-b", "tags": ["note"]}, [0.0, 0.0, 1.0])])
    assert await index.count() == 4
    assert await index.bm25("brightness", k=5) == []
    assert (await index.bm25("colour temperature", k=1))[0].id == "lamp"
    assert (await index.knn([0.0, 0.0, 1.0], k=5, filters={"home": "home-b"}))[0].id == "lamp"


async def test_delete_removes_from_every_query(index) -> None:
    await index.delete(["vacuum-filter", "no-such-id"])
    assert await index.count() == 3
    assert all(h.id != "vacuum-filter" for h in await index.bm25("滤网", k=5))
    assert all(h.id != "vacuum-filter" for h in await index.knn([1.0, 0.0, 0.0], k=5))


async def test_reopening_finds_the_documents_again(index, open_backend: OpenBackend) -> None:
    again = await (await open_backend()).open_index("docs", SCHEMA)
    assert await again.count() == 4
    assert (await again.bm25("驱动轮", k=1))[0].id == "vacuum-e1"
    assert (await again.knn([1.0, 0.0, 0.0], k=1))[0].id == "vacuum-filter"


async def test_a_refresh_sees_what_another_opener_wrote_and_deleted(index, open_backend: OpenBackend) -> None:
    # A second opener of the same storage stands for another process (``kb add`` beside a server).
    reader = await (await open_backend()).open_index("docs", SCHEMA)
    assert await reader.count() == 4
    await index.upsert([Document("kettle", {"title": "电水壶 K2", "body": "水垢每 2 个月用柠檬酸清除", "home": "home-a",
                                            "tags": "note"}, [0.0, 0.6, 0.8])])
    await reader.refresh()
    assert (await reader.bm25("柠檬酸", k=1, filters={"home": "home-a"}))[0].id == "kettle"
    assert (await reader.knn([0.0, 0.6, 0.8], k=1, filters={"home": "home-a"}))[0].id == "kettle"
    await index.delete(["kettle"])
    await reader.refresh()
    assert await reader.bm25("柠檬酸", k=5) == []
    assert all(h.id != "kettle" for h in await reader.knn([0.0, 0.6, 0.8], k=5))
    assert await reader.count() == 4


async def test_documents_that_do_not_fit_the_schema_are_refused(index) -> None:
    with pytest.raises(SearchError) as unknown:
        await index.upsert([Document("x", {"colour": "red"}, [1.0, 0.0, 0.0])])
    assert unknown.value.reason is SearchErrorCode.SCHEMA
    with pytest.raises(SearchError) as short:
        await index.upsert([Document("x", {"body": "text"}, [1.0, 0.0])])
    assert short.value.reason is SearchErrorCode.SCHEMA
    with pytest.raises(SearchError) as bad_filter:
        await index.count({"body": "text"})
    assert bad_filter.value.reason is SearchErrorCode.SCHEMA
    assert await index.count() == 4


async def test_reopening_with_another_schema_is_refused(index, open_backend: OpenBackend) -> None:
    other = IndexSchema(text=("body",), vector_dims=3)
    with pytest.raises(SearchError) as err:
        await (await open_backend()).open_index("docs", other)
    assert err.value.reason is SearchErrorCode.SCHEMA
