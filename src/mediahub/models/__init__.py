"""SQLAlchemy models, one module per table group; import them here so Alembic sees them all."""

from mediahub.models.base import Base
from mediahub.models.exchange import (
    Import,
    ProfileRequest,
    ProfileRequestPhoto,
    Trade,
    TradeItem,
    Transfer,
)
from mediahub.models.gallery import ArtObject, Favorite, OwnershipHistory, Photo
from mediahub.models.transcription import (
    Transcription,
    TranscriptSegment,
    TranscriptSpeaker,
)
from mediahub.models.users import RefreshToken, User

# job_runs lives with the job framework (core/jobs/models.py); importing it here puts the table
# in Base.metadata for Alembic and for transcriptions' foreign key. A plain module import, so
# importing core.jobs.models first (which imports models.base, hence this package) still works.
import mediahub.core.jobs.models  # noqa: E402, F401  isort: skip

__all__ = [
    "ArtObject",
    "Base",
    "Favorite",
    "Import",
    "OwnershipHistory",
    "Photo",
    "ProfileRequest",
    "ProfileRequestPhoto",
    "RefreshToken",
    "Trade",
    "TradeItem",
    "TranscriptSegment",
    "TranscriptSpeaker",
    "Transcription",
    "Transfer",
    "User",
]
