"""The console's door: the service's device tokens, when it has any.

A browser cannot attach a bearer header to a page load or an EventSource, so a token may also
come once as ``?token=`` on any page: the console answers with a cookie (HttpOnly, SameSite=Strict)
and sends the browser on to the same address without it. Scripts send ``Authorization: Bearer``.
"""

from __future__ import annotations

import hmac
from collections.abc import Collection
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "lingxi_console"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", ())}


class TokenGate:
    """ASGI middleware: every HTTP request and WebSocket needs one of ``tokens`` (none configured: open)."""

    def __init__(self, app: ASGIApp, tokens: Collection[str]) -> None:
        self._app = app
        self._tokens = tuple(t for t in tokens if t)

    def _valid(self, given: str) -> bool:
        # compare with every token, always, so the time taken says nothing about which one nearly matched
        matches = [hmac.compare_digest(given.encode(), t.encode()) for t in self._tokens]
        return bool(given) and any(matches)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not self._tokens:
            await self._app(scope, receive, send)
            return
        headers = _headers(scope)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        offered = dict(query).get("token", "")
        if offered and scope["type"] == "http" and self._valid(offered):
            await self._admit_with_cookie(scope, send, offered, [(k, v) for k, v in query if k != "token"])
            return
        bearer = headers.get("authorization", "")
        cookie = SimpleCookie(headers.get("cookie", ""))
        if (bearer.startswith("Bearer ") and self._valid(bearer[len("Bearer "):])) or (
            COOKIE in cookie and self._valid(cookie[COOKIE].value)
        ):
            await self._app(scope, receive, send)
            return
        await self._refuse(scope, send)

    async def _admit_with_cookie(self, scope: Scope, send: Send, token: str, rest: list[tuple[str, str]]) -> None:
        location = scope["path"] + (f"?{urlencode(rest)}" if rest else "")
        cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(self, scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401, "reason": "unauthenticated"})
            return
        body = (b"UNAUTHENTICATED: this console needs a device token of the service: open it once as "
                b"/?token=<token>, or send 'Authorization: Bearer <token>'\n")
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                                (b"www-authenticate", b"Bearer")]})
        await send({"type": "http.response.body", "body": body})
