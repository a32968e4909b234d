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
from mediahub.models.jobs import JobRun, JobStatus
from mediahub.models.transcription import (
    Transcription,
    TranscriptSegment,
    TranscriptSpeaker,
)
from mediahub.models.users import RefreshToken, User

__all__ = [
    "ArtObject",
    "Base",
    "Favorite",
    "Import",
    "JobRun",
    "JobStatus",
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
