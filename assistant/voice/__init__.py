"""Audio in: formats and resampling, voice activity and end of utterance, whisper recognition with
the home's words as hints, and snapping a near-miss transcript to a command the home understands."""
