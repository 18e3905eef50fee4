"""The content skill: media search, recommendation and playback over the shipped catalogue.

Create one :class:`ContentSkill` per process with the catalogue (``None``: the shipped one)
and a data folder; it indexes on first start and keeps per-home history and players there.
"""

from .catalog import CatalogError, MediaItem, load_catalog, shipped_catalog_path
from .catalogs import CatalogStore
from .skill import ContentSkill

__all__ = ["CatalogError", "CatalogStore", "ContentSkill", "MediaItem", "load_catalog", "shipped_catalog_path"]
