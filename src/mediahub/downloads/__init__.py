"""Download links: signed tokens (tokens.py), link building (links.py), the route (router.py)."""
