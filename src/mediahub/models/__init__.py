"""SQLAlchemy models, one module per table group; import them here so Alembic sees them all."""

from mediahub.models.base import Base
from mediahub.models.jobs import JobRun, JobStatus
from mediahub.models.users import RefreshToken, User

__all__ = ["Base", "JobRun", "JobStatus", "RefreshToken", "User"]
