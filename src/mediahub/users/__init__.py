"""Other users: public profiles, their photos, and requests to see private profiles."""
