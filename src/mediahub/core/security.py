"""Security headers on every response (pure ASGI: no buffering of streamed bodies)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mediahub.config import Settings


def content_security_policy(settings: Settings) -> str:
    """A CSP for the web app that still lets MAX load its bridge and embed the app."""
    scripts = " ".join(["'self'", *settings.csp_script_sources.split()])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # React and Bootstrap set inline style attributes; scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        # X-Frame-Options cannot name MAX's origins; frame-ancestors replaces it.
        f"frame-ancestors {settings.frame_ancestors}",
    ])


class SecurityHeadersMiddleware:
    """Adds CSP, nosniff, referrer and permissions policies unless a route set its own."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(settings).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            # Camera for QR scanning and microphone for recordings, on our own origin only.
            (b"permissions-policy", b"camera=(self), microphone=(self), geolocation=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
