"""The gRPC front: the ``Assistant`` service (``Ask``, ``Converse``), health, reflection, and the one
place where typed messages meet their protobuf and JSON forms."""
