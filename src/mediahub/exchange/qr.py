"""`GET /api/qr`: a QR code for a trade token or a user id, as SVG (default) or PNG.

Only our own payloads are rendered (`trade:<token>`, `user:<uuid>`): rendering arbitrary
data would turn the API into a free QR generator for phishing links under our name.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Query, Response

from mediahub.core.errors import BadRequest
from mediahub.exchange.service import TOKEN_ALPHABET, TOKEN_LENGTH

router = APIRouter(tags=["exchange"])

MAX_PAYLOAD_CHARS = 64
PNG_SCALE = 8  # pixels per module
BORDER = 4  # quiet zone, modules (the QR standard's minimum)
CACHE_CONTROL = "public, max-age=300"
_TRADE = re.compile(rf"^trade:([{TOKEN_ALPHABET}]{{{TOKEN_LENGTH}}})$", re.IGNORECASE)
_MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def normalize_payload(data: str) -> str:
    """The canonical `trade:<TOKEN>` or `user:<uuid>`; BadRequest for anything else."""
    data = data.strip()
    if match := _TRADE.fullmatch(data):
        return f"trade:{match.group(1).upper()}"
    if data[:5].lower() == "user:":
        try:
            return f"user:{uuid.UUID(data[5:])}"
        except ValueError:
            pass
    raise BadRequest(
        f"data must be trade:<{TOKEN_LENGTH}-character code> or user:<uuid>; "
        "other content is not rendered", code="qr.bad_data")


def make_qr(payload: str) -> segno.QRCode:
    """The QR code for a canonical payload (medium error correction, smallest version)."""
    return segno.make_qr(payload, error="m", boost_error=False)


def render(payload: str, fmt: Literal["svg", "png"]) -> bytes:
    """Serialise the QR code of a canonical payload."""
    out = io.BytesIO()
    if fmt == "png":
        make_qr(payload).save(out, kind="png", scale=PNG_SCALE, border=BORDER)
    else:
        make_qr(payload).save(out, kind="svg", scale=PNG_SCALE, border=BORDER,
                              xmldecl=False, svgns=True, title=payload)
    return out.getvalue()


# No authentication: the payload is not a secret from whoever can see the QR code (they could
# scan it), and it is only a trade code or a user id, which is what the code is for.
@router.get("/qr", operation_id="render_qr", responses={
    200: {"content": {"image/svg+xml": {}, "image/png": {}},
          "description": "The QR code"},
    **BadRequest.openapi()}, response_class=Response)
async def render_qr(
    data: Annotated[str, Query(min_length=1, max_length=MAX_PAYLOAD_CHARS,
                               description="trade:<code> or user:<uuid>")],
    format: Annotated[Literal["svg", "png"], Query()] = "svg",  # noqa: A002 - the API name
) -> Response:
    """Render a trade code (`trade:<token>`) or a profile link (`user:<uuid>`) as a QR code."""
    payload = normalize_payload(data)
    return Response(render(payload, format), media_type=_MEDIA_TYPES[format],
                    headers={"Cache-Control": CACHE_CONTROL})
