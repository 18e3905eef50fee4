"""The skills: what answers an understood request. Each folder is one kind of skill; skill authors
import everything they use from :mod:`skills.sdk`.

- :mod:`skills.devices` — the home's devices: control, state questions, scenes, targeting, the safety gate
- :mod:`skills.utilities` — timers, alarms and reminders, calculator, units, time and date, volume
- :mod:`skills.content` — media search, recommendation and playback over the catalogue
- :mod:`skills.knowledge` — answers from the home's manuals and documents, with their sources
- :mod:`skills.search` — the search backends the content and knowledge skills index with
- :mod:`skills.generation` — poems, stories, jokes and chat through the LLM tiers
- :mod:`skills.state` — the state store timers, alarms and history survive restarts in
- :mod:`skills.kit` — manifests, discovery, the permission gate and the third-party intent matcher
- :mod:`skills.sdk` — the skill SDK; :mod:`skills.out_of_scope` — the honest "I can't do that"
"""

__all__ = ["content", "devices", "generation", "kit", "knowledge", "out_of_scope", "sdk", "search", "state", "utilities"]
