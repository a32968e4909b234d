"""Shared infrastructure: database, storage, queue, live events, errors."""
