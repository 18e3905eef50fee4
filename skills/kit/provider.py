"""Content providers: third-party skills the content skill asks when its own catalogue has no match.

A provider's manifest declares what it ``provides`` (request families or catalogue kinds, see
:data:`~skills.kit.manifest.PROVIDED`) and the skill implements ``find`` (:class:`~skills.sdk.ContentProvider`).
It registers no intent for it: "播放X" stays the built-in content skill's request, which asks the
providers of the request's family or kind only when no catalogue item matches confidently. Every
provider is asked at once, each bounded by a share of the request's deadline and with its failures
contained; the best answer at or above :data:`PROVIDED_AT` plays, else the catalogue's honest not-found.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace

from intents.types import Intent, IntentSource
from skills.kit.gate import GatedGateway
from skills.sdk import ContentProvider, ContentQuery, ProvidedItem, Skill, SkillContext, SkillResult

_LOGGER = logging.getLogger(__name__)

#: A provided item plays from this score on (the catalogue's own bar for a confident match, skills/content/rank.py).
PROVIDED_AT = 0.74
#: Providers get at most this long, and never more than half the time the request has left:
#: a hanging provider must leave the content skill time for its not-found answer.
PROVIDER_WAIT_S = 1.5
#: The families' catalogue kinds (skills/content/catalog.py), so a provider of "radio" hears audio requests.
FAMILY_KINDS = {"music": {"song", "album", "artist", "playlist"}, "video": {"movie", "series", "cartoon"},
                "audio": {"audiobook", "story", "podcast", "radio"}}


def serves(provider: ContentProvider, query: ContentQuery) -> bool:
    """Whether ``provider`` offers what ``query`` asks for: its family, the kind named, or (no kind named) a kind of the family."""
    provides = set(provider.manifest.provides)
    if query.family in provides:
        return True
    return query.kind in provides if query.kind else bool(provides & FAMILY_KINDS.get(query.family, set()))


class GuardedProvider:
    """A third-party provider as the content skill asks it: gated devices, bounded, failures its own."""

    def __init__(self, provider: ContentProvider) -> None:
        self.provider = provider
        self.manifest = provider.manifest

    async def find(self, query: ContentQuery, ctx: SkillContext) -> ProvidedItem | None:
        name = self.manifest.name
        asked = Intent(f"{name}.find", {}, 1.0, IntentSource.RULES, query.text)
        gated = replace(ctx, devices=GatedGateway(ctx.devices, self.manifest, asked, ctx.lang), providers=None)
        try:
            async with asyncio.timeout(min(PROVIDER_WAIT_S, ctx.remaining() / 2)):
                found = await self.provider.find(query, gated)
        except TimeoutError:
            _LOGGER.warning("content provider %s did not answer %r in time", name, query.text)
            return None
        except asyncio.CancelledError:
            raise
        except Exception:  # a provider's bug costs its own answer only
            _LOGGER.exception("content provider %s failed on %r", name, query.text)
            return None
        if found is not None and not isinstance(found, ProvidedItem):
            _LOGGER.error("content provider %s answered %r with a %s, not a ProvidedItem", name, query.text, type(found).__name__)
            return None
        return found


class Providers:
    """The installed providers of one skills generation (filled as they are installed); :meth:`best`
    is the content skill's seam."""

    def __init__(self, providers: Sequence[ContentProvider] = ()) -> None:
        self.providers = [GuardedProvider(p) for p in providers]

    def add(self, provider: ContentProvider) -> None:
        self.providers.append(GuardedProvider(provider))

    async def best(self, query: ContentQuery, ctx: SkillContext) -> ProvidedItem | None:
        asked = [p for p in self.providers if serves(p, query)]
        if not asked:
            return None
        answers = await asyncio.gather(*(p.find(query, ctx) for p in asked))
        scored = sorted(((a.score, p.manifest.name, a) for p, a in zip(asked, answers) if a is not None),
                        key=lambda t: (-t[0], t[1]))
        if not scored or scored[0][0] < PROVIDED_AT:
            _LOGGER.info("no content provider has %r (best %s)", query.text, scored[0][:2] if scored else None)
            return None
        _LOGGER.info("content provider %s plays %s for %r (score %.2f)", scored[0][1], scored[0][2].media.id, query.text,
                     scored[0][0])
        return scored[0][2]


class ProvidedContent:
    """The content skill of one generation, given its providers through the context (:class:`Skill`)."""

    def __init__(self, content: Skill, providers: Providers) -> None:
        self.content = content
        self.manifest = content.manifest
        self._providers = providers

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        return await self.content.handle(intent, replace(ctx, providers=self._providers.best if self._providers.providers else None))

