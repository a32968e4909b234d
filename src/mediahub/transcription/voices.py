"""Voice profiles: voices a user named and asked to be remembered, matched in later transcripts.

A profile keeps its samples' embeddings (the diarizer's unit-length mean CAM++ vector of
one speaker in one transcript) and their mean, the centroid that matching reads. A speaker
is named by the profile whose centroid is most similar (cosine) above MATCH_THRESHOLD,
calibrated on generated voices (bench/voices.py; floors in tests/transcription/
test_voice_calibration.py), unless it is at least as similar to one of that profile's
negatives: speakers a user said it was not. Profiles are private: only the owner's are
ever read. Pure Python (192 numbers a vector, a few profiles): the API needs no numpy.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core.db import advisory_xact_lock
from mediahub.core.errors import Conflict, NotFound, Unprocessable
from mediahub.transcription.editing import clean_text
from mediahub.transcription.models import TranscriptSpeaker, VoiceProfile, VoiceSample
from mediahub.transcription.schemas import VoiceOut

# Cosine similarity of a speaker's embedding to a profile's centroid needed to name it
# (bench/voices.py: false accepts <= 1 %, recognition >= 90 % on the generated corpus).
MATCH_THRESHOLD = 0.93
MAX_VOICES = 200  # per user: matching compares every speaker with every profile
MAX_SAMPLES = 50  # per profile and kind: the oldest positive (or negative) goes first


Vector = Sequence[float]


def cosine(a: Vector, b: Vector) -> float:
    """Cosine similarity of two vectors (0 when either is all zeros or lengths differ)."""
    if len(a) != len(b):
        return 0.0
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def mean_unit(vectors: Sequence[Vector]) -> list[float]:
    """The mean of `vectors`, scaled to unit length."""
    mean = [sum(column) / len(vectors) for column in zip(*vectors, strict=True)]
    norm = math.sqrt(sum(x * x for x in mean)) or 1.0
    return [x / norm for x in mean]


def best_matches(speakers: Sequence[tuple[int, Vector]],
                 profiles: Sequence[tuple[uuid.UUID, Vector, Sequence[Vector]]],
                 threshold: float = MATCH_THRESHOLD) -> dict[int, tuple[uuid.UUID, float]]:
    """{speaker key: (profile id, similarity)}: best pairs first, each profile naming at most
    one speaker of a transcript; a profile never names a voice at least as close to one of
    its negatives (`profiles` = (id, centroid, negatives))."""
    pairs = []
    for key, embedding in speakers:
        for profile_id, centroid, negatives in profiles:
            score = cosine(embedding, centroid)
            if score >= threshold and all(cosine(embedding, n) < score for n in negatives):
                pairs.append((score, key, profile_id))
    chosen: dict[int, tuple[uuid.UUID, float]] = {}
    taken: set[uuid.UUID] = set()
    for score, key, profile_id in sorted(pairs, key=lambda p: -p[0]):
        if key not in chosen and profile_id not in taken:
            chosen[key] = (profile_id, score)
            taken.add(profile_id)
    return chosen


async def name_known_voices(session: AsyncSession, owner_id: uuid.UUID,
                            speakers: Sequence[TranscriptSpeaker]) -> None:
    """Name the speakers of a new transcript after the owner's matching voice profiles."""
    voiced = [(s.id, s.embedding) for s in speakers if s.embedding]
    if not voiced:
        return
    profiles = list(await session.scalars(
        select(VoiceProfile).where(VoiceProfile.owner_id == owner_id)))
    if not profiles:
        return
    negatives: dict[uuid.UUID, list[list[float]]] = {p.id: [] for p in profiles}
    for voice_id, embedding in await session.execute(
            select(VoiceSample.voice_id, VoiceSample.embedding)
            .where(VoiceSample.voice_id.in_(negatives), VoiceSample.negative)):
        negatives[voice_id].append(embedding)
    by_id = {p.id: p for p in profiles}
    matches = best_matches(voiced, [(p.id, p.centroid, negatives[p.id]) for p in profiles])
    for speaker in speakers:
        if speaker.id in matches:
            voice_id, score = matches[speaker.id]
            speaker.name, speaker.voice_id = by_id[voice_id].name, voice_id
            speaker.voice_confidence = round(score, 3)


async def remember(session: AsyncSession, owner_id: uuid.UUID, speaker: TranscriptSpeaker,
                   name: str) -> VoiceProfile:
    """Keep the speaker's voice under `name`: a sample of the owner's profile of that name
    (created if none); a different profile that had matched it learns it was wrong."""
    if not speaker.embedding:
        raise Conflict("this speaker has no voice sample to remember; find speakers again first",
                       code="voice.no_embedding")
    await _lock_names(session, owner_id)  # two requests must not both create "Anna"
    profile = await _named(session, owner_id, name)
    if speaker.voice_id is not None and (profile is None or profile.id != speaker.voice_id):
        await forget_match(session, speaker)
    if profile is None:
        count = await session.scalar(select(func.count()).select_from(VoiceProfile)
                                     .where(VoiceProfile.owner_id == owner_id))
        if (count or 0) >= MAX_VOICES:
            raise Conflict(f"you can keep at most {MAX_VOICES} voices; forget one first",
                           code="voice.too_many", params={"max": MAX_VOICES})
        profile = VoiceProfile(owner_id=owner_id, name=name, centroid=list(speaker.embedding))
        session.add(profile)
        await session.flush()
    await _add_sample(session, profile, speaker)
    speaker.voice_id = profile.id
    speaker.voice_confidence = round(cosine(speaker.embedding, profile.centroid), 3)
    return profile


async def _add_sample(session: AsyncSession, profile: VoiceProfile,
                      speaker: TranscriptSpeaker) -> None:
    """A positive sample from this speaker (once), and the centroid averaged again."""
    await session.execute(delete(VoiceSample).where(
        VoiceSample.voice_id == profile.id, VoiceSample.speaker_id == speaker.id))
    session.add(VoiceSample(voice_id=profile.id, speaker_id=speaker.id, negative=False,
                            embedding=list(speaker.embedding or [])))
    await session.flush()
    await _reaverage(session, profile)


async def _lock_names(session: AsyncSession, owner_id: uuid.UUID) -> None:
    await advisory_xact_lock(session, f"voices:{owner_id}")


async def _named(session: AsyncSession, owner_id: uuid.UUID, name: str) -> VoiceProfile | None:
    """The owner's profile called `name` (case-insensitive), if any."""
    return await session.scalar(select(VoiceProfile).where(
        VoiceProfile.owner_id == owner_id, func.lower(VoiceProfile.name) == name.lower()))


async def _kept_samples(session: AsyncSession, profile: VoiceProfile, negative: bool) -> list:
    """The profile's newest MAX_SAMPLES samples of one kind; older ones are deleted."""
    rows = list(await session.execute(
        select(VoiceSample.id, VoiceSample.embedding)
        .where(VoiceSample.voice_id == profile.id, VoiceSample.negative.is_(negative))
        .order_by(VoiceSample.id.desc())))
    if len(rows) > MAX_SAMPLES:
        await session.execute(delete(VoiceSample).where(
            VoiceSample.id.in_([row.id for row in rows[MAX_SAMPLES:]])))
    return rows[:MAX_SAMPLES]


async def _reaverage(session: AsyncSession, profile: VoiceProfile) -> None:
    await _kept_samples(session, profile, negative=True)  # bounded too: matching reads them
    positives = await _kept_samples(session, profile, negative=False)
    if positives:
        profile.centroid = mean_unit([row.embedding for row in positives])


async def forget_match(session: AsyncSession, speaker: TranscriptSpeaker) -> None:
    """The speaker is not its matched profile's voice: unlink it, and record a negative so
    that profile never names this voice (or one closer to it than to the profile) again."""
    voice_id = speaker.voice_id
    if voice_id is None:
        return
    profile = await session.get(VoiceProfile, voice_id, with_for_update=True)
    speaker.voice_id, speaker.voice_confidence = None, None
    speaker.name = f"Speaker {speaker.color + 1}"
    if profile is None or not speaker.embedding:
        return
    remaining = await session.scalar(select(func.count()).select_from(VoiceSample).where(
        VoiceSample.voice_id == voice_id, ~VoiceSample.negative,
        VoiceSample.speaker_id != speaker.id))
    if remaining:  # a sample from this very speaker was a mistake too
        await session.execute(delete(VoiceSample).where(
            VoiceSample.voice_id == voice_id, VoiceSample.speaker_id == speaker.id))
    session.add(VoiceSample(voice_id=voice_id, speaker_id=speaker.id, negative=True,
                            embedding=list(speaker.embedding)))
    await session.flush()
    await _reaverage(session, profile)


# ---------------------------------------------------------------- the People page


async def list_voices(session: AsyncSession, owner_id: uuid.UUID) -> list[VoiceOut]:
    """The owner's voice profiles with their positive sample counts, oldest first."""
    samples = (select(func.count()).where(VoiceSample.voice_id == VoiceProfile.id,
                                          ~VoiceSample.negative)
               .correlate(VoiceProfile).scalar_subquery())
    rows = await session.execute(
        select(VoiceProfile.id, VoiceProfile.name, VoiceProfile.created_at, samples)
        .where(VoiceProfile.owner_id == owner_id)
        .order_by(VoiceProfile.created_at, VoiceProfile.id))
    return [VoiceOut(id=row[0], name=row[1], created_at=row[2], samples=row[3]) for row in rows]


async def owned(session: AsyncSession, owner_id: uuid.UUID, voice_id: uuid.UUID
                ) -> VoiceProfile:
    """The owner's profile; 404 for anyone else's."""
    profile = await session.scalar(select(VoiceProfile).where(
        VoiceProfile.id == voice_id, VoiceProfile.owner_id == owner_id).with_for_update())
    if profile is None:
        raise NotFound("voice not found", code="voice.not_found")
    return profile


async def rename(session: AsyncSession, profile: VoiceProfile, raw_name: str) -> None:
    """Rename a profile and the speakers it named; a name another of the owner's profiles
    has is refused (one name, one voice)."""
    name = clean_text(raw_name, "name")
    if not name:
        raise Unprocessable("name: must contain something besides spaces", code="speaker.blank")
    await _lock_names(session, profile.owner_id)
    other = await _named(session, profile.owner_id, name)
    if other is not None and other.id != profile.id:
        raise Conflict(f"you already have a voice named {name}", code="voice.name_taken",
                       params={"name": name})
    profile.name = name
    for speaker in await session.scalars(select(TranscriptSpeaker).where(
            TranscriptSpeaker.voice_id == profile.id)):
        speaker.name = name
    await session.flush()


async def forget(session: AsyncSession, profile: VoiceProfile) -> None:
    """Delete a profile with all its embeddings; speakers it named keep their names."""
    await session.execute(delete(VoiceSample).where(VoiceSample.voice_id == profile.id))
    await session.delete(profile)
    await session.flush()
