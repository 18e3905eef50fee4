"""From a spoken question to what to search: which manuals, which words, which codes.

The target comes first, in this order: a device of the home the question names (its names and
aliases in either language, by sound too: 扫地鸡 is 扫地机), the intent's ``product`` slot, a
model number (``AP-300``), a product word (扫地机 / robot vacuum / 插座) matched against the
manuals' titles, and only when the question names none of these, the device the dialog last
talked about (“它的滤网多久换?”). A target the home has no manual for is reported, not guessed.
Fault codes (E1, F0…) are kept for an exact filter. The words left once device names and
question words are gone are the concepts an answer must speak of; glossary words add their
translations, so an English question finds a Chinese manual and the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from skills.search.analysis import normalise, pinyin_key, tokens

from .asked import Asked, asked_in
from .catalog import DocumentInfo
from .chunking import error_codes
from .glossary import Term, find_terms, mentions
from .signals import Signal, described, search_words

__all__ = ["Concept", "QueryPlan", "plan_query"]

#: Words that shape a question but are no part of its answer.
_QUESTION_TEXT = (
    "多久 多长时间 多少 多大 多高 多长 多远 多重 几 几个 怎么 怎么样 怎样 如何 什么 为什么 吗 呢 啊 吧 哪 哪里 哪些 "
    "哪个 可以 能 能不能 会 会不会 是否 要 需要 应该 一下 一次 时候 说明书 手册 请问 告诉 家里 我家 我们 的话 有没有 "
    "是不是 多 次 该 得 做 办 还 又 都 就 再 才 上 里 中 下 它 他 她 这台 那台 台 一个 显示 出现 报 提示 "
    "how often long much many what which when where why who does do did can could should would is are need "
    "tell know manual say says get got make thing way there one ok hey just before after still also too very "
    "really turn display show showing shows take takes all most max maximum top highest least min minimum lowest "
    "一般 平时 通常 老是 总是 咋 咋整 咋回事 怎么回事 是咋了 went going 一直 "
    # What asks for a figure or an extreme (read by .asked, no word a manual must use).
    "几次 几个 几种 几级 最多 最少 最大 最小 最高 最低 零下 还能"
)
_QUESTION_WORDS = frozenset(_QUESTION_TEXT.split())


#: “几升”, “多少个”: the asked unit goes with the question word, or jieba glues it to the next
#: word (几升水 → 升水).
_ASKED_UNIT = r"(?:几|多少)(?:毫升|厘米|毫米|公斤|千克|分贝|分钟|小时|个月|[个组次节颗种档级位把张路挡块条升米克斤度瓦转秒天周月年人钱])"
_ZH_QUESTION = re.compile("|".join([_ASKED_UNIT, *sorted((w for w in _QUESTION_WORDS if len(w) >= 2 and not w.isascii()),
                                                         key=len, reverse=True)]))
#: Words pointing back at the device just talked about.
_POINTS_BACK = re.compile(r"它|这台|那台|这个|那个|(?<![a-z])(?:it|its|it's|this one|that one)(?![a-z])")
#: A figure the asker says (二十度, 三个): their guess, not a word the manual must use.
_SPOKEN_FIGURE = re.compile(r"^[零一二两三四五六七八九十百千万\d.]+[\u4e00-\u9fff]?$")
_SHORT_FORM = re.compile(r"[\u4e00-\u9fff]{2}")
#: A modal before a one-character verb (能装, 能录, 可用): the verb is what a manual writes (录入).
_MODAL = re.compile(r"^[能可会要](?=[\u4e00-\u9fff]$)")


@dataclass(frozen=True)
class Concept:
    """One thing the question asks about: the word as asked and every word that counts as it
    (glossary synonyms and translations)."""

    word: str
    alternatives: tuple[str, ...]
    strong: bool  # a code, a number, or a word of two or more characters / three or more letters

    def speakable_in(self, lang: str) -> bool:
        """Whether a text in ``lang`` could say it at all: an English word the glossary does not
        translate is never in a Chinese manual, so its absence there says nothing (a code or a
        figure is in any language)."""
        return any(_is_ascii(w) == (lang == "en") or any(ch.isdigit() for ch in w) for w in self.alternatives)

    def found_in(self, text: str) -> bool:
        if any(mentions(text, w) or (_is_ascii(w) and any(mentions(text, v) for v in _variants(w)))
               for w in self.alternatives):
            return True
        # A spoken two-character word is often the short form of the written one (输错 → 输入错误).
        return len(self.alternatives) == 1 and _SHORT_FORM.fullmatch(self.word) is not None \
            and re.search(f"{self.word[0]}.{{1,2}}{self.word[1]}", text) is not None


@dataclass(frozen=True)
class QueryPlan:
    """What to search for one question.

    ``devices`` are the device ids it is about and ``docs`` the manuals to search (empty: all
    the home sees); ``target`` says how they were found (``named``, ``slot``, ``model``,
    ``product``, ``context``: the device last talked about, ``referred``: the same, pointed at
    by “它” / “it”, or empty); ``subject`` is what the answer calls the target;
    ``missing`` names a target the home has no manual for; ``text`` is the BM25 query.
    """

    question: str
    lang: str
    devices: tuple[str, ...]
    docs: tuple[str, ...]
    target: str
    subject: str
    missing: str
    codes: tuple[str, ...]
    concepts: tuple[Concept, ...]
    text: str
    #: What the question asks for: the answer's kind and units, an extreme, a feature.
    asked: Asked = Asked()
    #: A light or behaviour described (“红灯一直闪两下”), matched against the signs passages define.
    signal: Signal | None = None


def _is_ascii(word: str) -> bool:
    return word.isascii()


def _variants(word: str) -> tuple[str, ...]:
    """A few English inflections (replacing → replace), for checking a passage covers a word."""
    out = []
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)] + repl)
    return tuple(out)


def _names(thing: Any) -> tuple[str, ...]:
    names = getattr(thing, "names", None)
    return tuple(getattr(names, "zh", ())) + tuple(getattr(names, "en", ()))


def _things(home: Any) -> dict[str, Any]:
    """The home's devices and speakers by id (duck-typed: anything with ``names.zh``/``names.en``)."""
    things = dict(getattr(home, "speakers", {}) or {})
    things.update(getattr(home, "devices", {}) or {})
    return things


def _find_devices(q: str, home: Any) -> tuple[list[str], list[tuple[int, int]]]:
    found: list[tuple[int, int, str]] = []
    for device_id, thing in _things(home).items():
        for name in _names(thing):
            n = normalise(name)
            if n and _is_ascii(n):
                found += [(m.start(), m.end(), device_id)
                          for m in re.finditer(rf"(?<![a-z0-9]){re.escape(n)}(?:s)?(?![a-z0-9])", q)]
            elif n:
                found += [(m.start(), m.end(), device_id) for m in re.finditer(re.escape(n), q)]
    # Longest names first, so 客厅空调 wins over 空调 and both do not count.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int]] = []
    devices: list[str] = []
    for start, end, device_id in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if device_id not in devices:
            devices.append(device_id)
    if not devices:
        spoken = f" {pinyin_key(q)} "
        for device_id, thing in _things(home).items():
            if any(not _is_ascii(n) and len(n) >= 2 and f" {pinyin_key(n)} " in spoken for n in _names(thing)):
                devices.append(device_id)
                break
    return devices, taken


def _name_of(home: Any, device_id: str, lang: str) -> str:
    thing = _things(home).get(device_id)
    names = getattr(getattr(thing, "names", None), lang, ()) or _names(thing) if thing is not None else ()
    return names[0] if names else device_id


def _product_term(info: DocumentInfo) -> Term | None:
    title = normalise(f"{info.product} {info.title}")
    return next((t for t, _, _ in find_terms(title, products=True)), None)


def subject_of(info: DocumentInfo, lang: str) -> str:
    """What to call a document's product in ``lang``: its own product name when it is written in
    ``lang``, else the glossary's name for it with the model (“robot vacuum X10”)."""
    if info.lang == lang:
        return info.product
    term = _product_term(info)
    if term is None:
        return info.product
    name = term.words(lang)[0]
    return f"{name} {info.models[0]}" if info.models else name


def _concepts(text: str) -> list[Concept]:
    """The concepts of ``text`` (device names and the target's product words already blanked):
    glossary terms first (another product named stays one: “does the TV have a camera”), then
    the words left."""
    glossary = find_terms(text)
    concepts = [Concept(word, term.zh + term.en, not term.action) for term, word, _ in glossary]
    rest = _blank(text, [span for _, _, spans in glossary for span in spans])
    # Chinese question phrases go before segmentation, or jieba glues them to their neighbours
    # (快洗要多长时间 → 快 / 洗要 / 长时间).
    rest = _ZH_QUESTION.sub(" ", rest)
    words = [_MODAL.sub("", t) for t in dict.fromkeys(tokens(rest))]
    # A lone letter is what is left of "what's" or "it's", no concept.
    words = [t for t in dict.fromkeys(words) if t not in _QUESTION_WORDS and not (_is_ascii(t) and len(t) < 2)
             and not (_SPOKEN_FIGURE.match(t) and not t.isascii())]
    for token in words:
        if any(token != other and token in other for other in words):
            continue  # jieba's search mode also yields the words inside a longer one: count it once
        strong = (len(token) >= 2 and not _is_ascii(token)) or len(token) >= 3 or any(ch.isdigit() for ch in token)
        concepts.append(Concept(token, (token,), strong))
    return concepts


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    return "".join(" " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(text))


def _docs_for(devices: Iterable[str], documents: Sequence[DocumentInfo]) -> list[str]:
    wanted = set(devices)
    return [d.doc for d in documents if wanted & set(d.devices)]


def plan_query(question: str, lang: str, home: Any, documents: Sequence[DocumentInfo], *,
               product: str | None = None, last_device: str | None = None) -> QueryPlan:
    """Plan the search for ``question`` asked in ``lang`` in ``home`` (see the module docstring)."""
    q = normalise(question)
    devices, spans = _find_devices(q, home)
    target = "named" if devices else ""
    if not devices and product and product in _things(home):
        devices, target = [product], "slot"
    docs = _docs_for(devices, documents)
    # Products among all terms, so a longer word wins: “child lock” is no door lock.
    products = [found for found in find_terms(q) if found[0].product]
    asked = {t for t, _, _ in products}
    by_product = [d.doc for d in documents if _product_term(d) in asked]
    missing = ""
    if devices and not docs:
        if by_product:
            docs, target = by_product, "product"
        else:
            missing = _name_of(home, devices[0], lang)
    if not devices:
        models = [d.doc for d in documents for m in d.models if mentions(q, normalise(m))]
        if models:
            docs, target = list(dict.fromkeys(models)), "model"
        elif by_product:
            docs, target = by_product, "product"
        elif products:
            missing = products[0][0].words(lang)[0]
        elif last_device:
            # “它” / “its” points at that device: no other manual answers for it.
            devices, target = [last_device], "referred" if _POINTS_BACK.search(q) else "context"
            docs = _docs_for(devices, documents)
    chosen = [d for d in documents if d.doc in docs]
    # The searched products' own words say which manual, not what to find in it; another
    # product the question names is something to find (“does the TV have a camera”).
    targeted = {_product_term(d) for d in chosen} if chosen else asked
    spans += [span for term, _, found in products if term in targeted for span in found]
    rest = _blank(q, spans)
    # The words telling a sign are matched as one sign (:mod:`.signals`), not word by word.
    signal = described(rest)
    concepts = _concepts(_blank(rest, signal.spans) if signal else rest)
    translations = [w for c in concepts for w in c.alternatives if w != c.word]
    if signal:
        translations.append(search_words(signal))
    if len({d.product for d in chosen}) == 1:
        subject = subject_of(chosen[0], lang)
    else:
        subject = _name_of(home, devices[0], lang) if devices else ""
    return QueryPlan(question=q, lang=lang, devices=tuple(devices), docs=tuple(dict.fromkeys(docs)), target=target,
                     subject=subject, missing=missing, codes=error_codes(question),
                     concepts=tuple(concepts), text=" ".join([rest, *translations]), asked=asked_in(q),
                     signal=signal)

