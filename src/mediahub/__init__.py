"""Mediahub: a self-hosted photo gallery and transcription platform."""

__version__ = "0.1.0"
