"""Transcription: recordings in, speaker-attributed, word-timed transcripts out (WhisperX)."""
