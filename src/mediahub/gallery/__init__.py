"""Gallery: art objects with owners and history, favorites, the public feed, search."""
