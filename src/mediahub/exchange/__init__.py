"""Ownership exchange: QR trades and transfers between users."""
