"""The catalogue of every error `code` the API answers with, and the params each one carries.

One code per distinct failure a person can act on, so the web app shows its own sentence in
the reader's language (`web/src/i18n/errors.ts`); `detail` stays English for API users.
The catalogue is published as the `ErrorCode` enum of the OpenAPI schema (so `scripts/gen-api
--check` fails when the web client lags behind), and `tests/unit/test_error_codes.py` fails
on a raised code that is not listed here. How to add one: CONTRIBUTING.md, "Error codes".

Values are the English meaning, with `{param}` for each entry of the error's `params`.
"""

from __future__ import annotations

from enum import StrEnum

CODES: dict[str, str] = {
    # --- framework and infrastructure (any route) ---
    "bad_request": "the request is malformed",
    "not_found": "no such resource",
    "method_not_allowed": "this method is not allowed here",
    "error": "the request failed with HTTP status {status}",
    "internal_error": "internal error",
    "service_unavailable": "a backing service is temporarily unavailable; retry shortly",
    "insufficient_storage": "the object store is full; nothing was saved",
    "storage.unavailable": "the object store is temporarily unavailable; retry shortly",
    "rate_limited": "too many requests; retry in {retry_after} s",
    "request_timeout": "the request body arrived too slowly",
    "request.too_large": "the request body is larger than {max_bytes} bytes",
    "request.bad_text": "text must not contain NUL characters or unpaired surrogates",
    "request.disconnected": "the client disconnected",
    "json_too_deep": "the JSON body is nested deeper than {max} levels",
    "api.no_route": "no such API route",
    "cursor.invalid": "invalid page cursor",
    "invalid_text": "{field} must not contain control or invisible formatting characters",
    # --- request validation (FastAPI's 422; params.field names the field) ---
    "validation.missing": "{field} is required",
    "validation.too_short": "{field} must be at least {min} characters",
    "validation.too_long": "{field} must be at most {max} characters",
    "validation.too_few": "{field} needs at least {min} items",
    "validation.too_many": "{field} takes at most {max} items",
    "validation.too_small": "{field} must be at least {min}",
    "validation.too_large": "{field} must be at most {max}",
    "validation.wrong_type": "{field} has the wrong type",
    "validation.not_allowed": "{field} must be one of {allowed}",
    "validation.format": "{field} is not in the expected format",
    "validation.unknown_field": "{field} is not a known field",
    "validation.json_invalid": "the body is not valid JSON",
    "validation.invalid": "{field} is not valid",
    # --- accounts and sessions ---
    "username.invalid": "the username must be {min}-{max} characters: {allowed}, "
                        "starting with a letter or digit",
    "username.taken": "this username is taken",
    "username_reserved": "usernames starting with 'max' and a digit are kept for MAX accounts",
    "password.too_short": "the password must be at least {min} characters",
    "password.too_long": "the password must be at most {max} characters",
    "password.whitespace": "the password must not start or end with a space",
    "password.too_common": "the password is too common or too simple",
    "password.contains_username": "the password must not contain the username",
    "auth.bad_credentials": "wrong username or password",
    "auth.not_signed_in": "sign in first",
    "auth.token_expired": "the session expired; sign in again",
    "auth.token_invalid": "the access token is not valid; sign in again",
    "auth.signed_out": "this session was signed out",
    "auth.account_gone": "the account no longer exists",
    "auth.refresh_invalid": "the session is not valid; sign in again",
    "auth.refresh_reused": "the session was used twice; all its sign-ins were ended",
    "auth.refresh_expired": "the session expired; sign in again",
    "auth.max_disabled": "MAX sign-in is not enabled on this server",
    "auth.max_rejected": "MAX launch data rejected",
    "auth.max_no_username": "no free username could be found for this MAX account; retry",
    # --- uploads (multipart) ---
    "upload.not_multipart": "send the upload as multipart/form-data",
    "upload.too_large": "the file is larger than the limit of {max_bytes} bytes",
    "upload.empty_file": "the file is empty",
    "upload.unsupported_type": "unsupported file type; accepted: {accepted}",
    "upload.no_file": "no file in form field {field}",
    "upload.one_file": "send one file per upload",
    "upload.wrong_file_field": "unexpected file field {field}; use {expected}",
    "upload.too_many_parts": "too many form parts (at most {max})",
    "upload.too_many_fields": "too many form fields",
    "upload.unknown_fields": "unknown form fields: {fields}",
    "upload.field_too_long": "form field {field} is too long",
    "upload.field_not_utf8": "form field {field} is not UTF-8",
    "upload.field_nul": "form field {field} contains a NUL character",
    "upload.interrupted": "the upload was interrupted",
    "upload.malformed": "malformed multipart body",
    # --- gallery ---
    "photo.not_found": "photo not found",
    "photo.not_owner": "only the photo's owner can do this",
    "photo.duplicate": "you already uploaded this photo",
    "photo.already_yours": "this photo is already yours",
    "photos.not_found": "{count} of the photos were not found",
    "photos.not_owner": "{count} of the photos are not yours",
    "photo.bad_is_public": "is_public must be true or false",
    "tags.too_many": "at most {max} tags",
    "tags.too_long": "a tag is at most {max} characters",
    "description.too_long": "the description is at most {max} characters",
    # --- exchange: trades, transfers, QR codes ---
    "trade.code_unknown": "no trade with this code",
    "trade.not_found": "trade not found",
    "trade.own": "this is your own trade",
    "trade.gone": "this trade is {status}",
    "trade.claimed": "this trade has already been claimed",
    "trade.size": "offer between {min} and {max} photos",
    "trade.photos_changed": "the offered photos changed since the trade was made",
    "exchange.photo_in_trade": "the photo is already offered in an open trade",
    "exchange.photo_in_transfer": "the photo is waiting for a transfer to be answered",
    "transfer.not_found": "transfer not found",
    "transfer.to_self": "you cannot transfer a photo to yourself",
    "transfer.recipient_not_found": "recipient not found",
    "transfer.gone": "this transfer has expired",
    "transfer.decided": "this transfer is already {status}",
    "transfer.photo_gone": "the photo is no longer the sender's to give",
    "qr.bad_data": "data must be trade:<code> or user:<uuid>",
    # --- users and profile requests ---
    "user.not_found": "user not found",
    "profile_request.own": "you cannot request your own profile",
    "profile_request.not_found": "profile request not found",
    "profile_request.no_photos": "approve with at least one photo",
    "profile_request.not_your_photo": "a photo is not yours to grant",
    "profile_request.expired": "this request has expired",
    "profile_request.decided": "this request is already {status}",
    "profile_request.only_owner_revokes": "only the profile owner can revoke an approved request",
    # --- downloads ---
    "download.link_invalid": "the download link is not valid or has expired",
    "download.link_revoked": "the download link has been revoked",
    "download.file_missing": "file not found",
    "download.file_changed": "the file changed during download; retry",
    "requested_range_not_satisfiable": "requested range not satisfiable",
    # --- transcription ---
    "transcription.not_found": "transcription not found",
    "media_too_long": "the recording is longer than the limit here",
    "transcription.model_not_offered": "model {model} is not offered here; choose one of "
                                       "{choices}",
    "transcription.model_language_unsupported": "model {model} cannot transcribe {language}",
    "transcription.model_cannot_translate": "model {model} only knows English; it cannot translate",
    "transcription.no_model_for_language": "no model here can {task} {language}",
    "transcription.option_invalid": "option {field} is not valid",
    "transcription.undecodable": "the file holds no audio that can be decoded",
    "transcription.model_unavailable": "the speech model is not installed on this server",
    "transcription.too_long": "the recording lasts {minutes} min; the limit here is {limit} min",
    "transcription.finished": "the transcription is already {status}",
    "transcription.not_retryable": "only failed or cancelled transcriptions can be retried",
    "transcription.not_ready": "the transcript is not ready yet",
    "transcription.failed": "the transcription {status}",
    "timeout": "still transcribing after {seconds} s",
    "transcription.bad_response_format": "response_format must be one of {choices}",
    "segment.not_found": "segment not found",
    "segment.blank": "the text must contain something besides spaces",
    "speaker.not_found": "speaker not found",
    "speaker.blank": "the name must contain something besides spaces",
    "title.blank": "the title must contain something besides spaces",
    "title.too_long": "the title can be at most {max} characters",
    "segment.speaker_ambiguous": "send either speaker or new_speaker, not both",
    "speaker.merge_self": "a speaker cannot be merged into itself",
}

# The OpenAPI schema's `ErrorCode` enum: the web client's type of `ErrorBody.code`.
ErrorCode = StrEnum("ErrorCode", {code: code for code in CODES})  # type: ignore[misc]
