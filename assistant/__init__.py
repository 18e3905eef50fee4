"""The Lingxi service: one folder per stage of a request and per concern around it.

- :mod:`assistant.api` — the gRPC front: ``Ask``, ``Converse`` (text, audio, notifications), conversion, status codes
- :mod:`assistant.voice` — audio in: formats, voice activity and end of utterance, recognition, hints, snapping
- :mod:`assistant.pipeline` — understand → plan → act → answer, each stage timed; typed request and answer
- :mod:`assistant.dialog` — sessions and their stores, follow-ups, clarification, confirmation
- :mod:`assistant.routing` — the latency budget, the edge/cloud router and the LLM tiers it calls
- :mod:`assistant.app` — configuration, the runtime that starts everything, the command line, logs, metrics
- :mod:`assistant.evaluation` — ``assistant eval``: case files run end to end against device state
"""

__all__ = ["api", "app", "console", "dialog", "evaluation", "hub", "pipeline", "routing", "voice", "wyoming"]
