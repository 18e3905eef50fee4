"""The search layer: one contract (:mod:`.types`), two backends (embedded tantivy, Elasticsearch),
one analyser, client-side rank fusion and e5 sentence vectors."""

from .analysis import analyse, normalise, pinyin_key, tokens
from .backends import ELASTICSEARCH, EMBEDDED, SEARCH_URL_ENV, choose_backend, open_backend
from .embeddings import E5Encoder, TextEncoder, shared_encoder
from .errors import SearchError, SearchErrorCode
from .fusion import RRF_K, reciprocal_rank_fusion
from .types import Document, Filters, Hit, IndexSchema, SearchBackend, SearchIndex

__all__ = [
    "ELASTICSEARCH", "EMBEDDED", "RRF_K", "SEARCH_URL_ENV",
    "Document", "E5Encoder", "Filters", "Hit", "IndexSchema", "SearchBackend", "SearchError", "SearchErrorCode",
    "SearchIndex", "TextEncoder",
    "analyse", "choose_backend", "normalise", "open_backend", "pinyin_key", "reciprocal_rank_fusion",
    "shared_encoder", "tokens",
]
