"""The application around the pipeline: configuration parsed once at the edge, the runtime that
starts the broker, devices, bridge and pipeline in order, the ``assistant`` command, logs and metrics."""
