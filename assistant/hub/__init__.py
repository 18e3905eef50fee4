"""The hub's side of MQTT: a smart-home hub uses Lingxi as its voice and language service.

Requests on ``lingxi/<home>/request``, answers on the request's reply topic (or
``lingxi/<home>/answer``), and events for automations on ``lingxi/<home>/intent/<name>`` and
``lingxi/<home>/action/<device id>`` (:mod:`assistant.hub.topics`).
"""

from assistant.hub.service import HubOptions, HubService

__all__ = ["HubOptions", "HubService"]
