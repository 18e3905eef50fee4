"""What the content skill says, in zh and en: short, the way a person would say it."""

from __future__ import annotations

from .catalog import MediaItem
from .text import has_cjk


def title(item: MediaItem, lang: str) -> str:
    """The item's title in the listener's language when the catalogue has one (晴天 -> Sunny Day)."""
    if lang == "en" and has_cjk(item.title):
        return next((alt for alt in item.title_alt if alt.isascii() and "(" not in alt), item.title)
    if lang == "zh" and not has_cjk(item.title):
        return next((alt for alt in item.title_alt if has_cjk(alt) and "(" not in alt), item.title)
    return item.title


def work(item: MediaItem, artist: str, lang: str) -> str:
    """周杰伦的《晴天》 / Sunny Day by Jay Chou (no artist for films, series and radio)."""
    name = title(item, lang)
    if lang == "zh":
        return f"{artist}的《{name}》" if artist else f"《{name}》"
    return f"{name} by {artist}" if artist else name


def episode_suffix(episode: int | None, lang: str) -> str:
    if episode is None:
        return ""
    return f"第{episode}集" if lang == "zh" else f", episode {episode}"


def playing(item: MediaItem, artist: str, episode: int | None, device: str, lang: str, resumed: bool = False) -> str:
    """好的，为你播放周杰伦的《晴天》 / Playing Sunny Day by Jay Chou (on the TV)."""
    what = work(item, artist, lang) + episode_suffix(episode, lang)
    if lang == "zh":
        kind = {"album": "专辑", "playlist": "歌单"}.get(item.kind, "")
        if item.kind == "artist":
            what = f"{title(item, lang)}的热门歌曲"
        elif kind:
            what = f"{artist + '的' if artist else ''}{kind}《{title(item, lang)}》"
        where = f"在{device}上" if device else ""
        return f"好的，{where}继续播放{what}" if resumed else f"好的，{where}为你播放{what}"
    if item.kind == "artist":
        what = f"{title(item, lang)}'s top songs"
    elif item.kind in ("album", "playlist"):
        what = f"the {item.kind} {what}"
    where = f" on the {device}" if device else ""
    return f"{'Resuming' if resumed else 'Playing'} {what}{where}"


def not_found(asked: str, offer: str, lang: str) -> str:
    """没有找到《X》 (，你是不是想听Y？) / I couldn't find X (. Did you mean Y?)."""
    if lang == "zh":
        return f"没有找到《{asked}》" + (f"，你是不是想找{offer}？" if offer else "")
    return f"I couldn't find {asked}" + (f". Did you mean {offer}?" if offer else "")


def nothing_fits(lang: str) -> str:
    return "没有找到符合要求的内容" if lang == "zh" else "I couldn't find anything like that"


def withheld(what: str, lang: str) -> str:
    return f"{what}不适合在这里给孩子播放" if lang == "zh" else f"{what} isn't for children, so I won't play it here"


def no_such_episode(name: str, episodes: int, lang: str) -> str:
    return f"《{name}》只有{episodes}集" if lang == "zh" else f"{name} has only {episodes} episodes"


def nothing_playing(lang: str) -> str:
    return "现在没有在播放任何内容" if lang == "zh" else "Nothing is playing right now"


def paused(lang: str) -> str:
    return "已暂停" if lang == "zh" else "Paused"


def stopped(lang: str) -> str:
    return "已停止播放" if lang == "zh" else "Stopped"


def end_of_queue(step: int, lang: str) -> str:
    if lang == "zh":
        return "已经是最后一个了" if step > 0 else "已经是第一个了"
    return "That was the last one" if step > 0 else "This is already the first one"


def now_playing(what: str, state: str, lang: str) -> str:
    if lang == "zh":
        return f"正在播放{what}" if state == "playing" else f"{what}已暂停"
    return f"This is {what}" if state == "playing" else f"{what} is paused"


def moved(what: str, device: str, lang: str) -> str:
    return f"好的，在{device}上继续播放{what}" if lang == "zh" else f"Moving {what} to the {device}"


def nothing_to_resume(lang: str) -> str:
    return "没有可以继续播放的内容" if lang == "zh" else "There's nothing to resume"
