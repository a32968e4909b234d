"""The job-run table (every other domain keeps its tables in its own `models.py`)."""
