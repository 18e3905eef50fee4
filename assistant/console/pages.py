"""The console's routes: three pages, their live fragments, a JSON API for the page's script, and the feed.

| route | what |
|---|---|
| ``GET /`` | try it (text and microphone), the live list of requests, one request's waterfall, the home |
| ``GET /home`` | rooms and devices with live state, risky devices, scenes, timers and alarms |
| ``GET /quality`` | run a case file; the benchmark's figures as charts |
| ``GET /events`` | the live feed (Server-Sent Events) |
| ``POST /api/ask`` | ``{"text", "speaker", "session", "lang"}`` → the answer (as ``ask --json``) and its fragment |
| ``WS /api/listen`` | 16 kHz s16le PCM in binary messages, ``"end"`` when the user stops → the answer |
| ``POST /api/eval`` | ``{"file"}`` → starts a run; its report comes through the feed |
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.websockets import WebSocket, WebSocketDisconnect

from assistant.api.convert import answer_to_json, parse_lang
from assistant.console import charts
from assistant.console.auth import TokenGate
from assistant.console.render import STATIC, DeviceView
from domain.errors import ErrorCode, LingxiError, invalid_argument
from skills.utilities.entries import KINDS

if TYPE_CHECKING:
    from assistant.console.server import Console

_LOGGER = logging.getLogger(__name__)

HTTP_STATUS = {
    ErrorCode.INVALID_ARGUMENT: 400, ErrorCode.UNAUTHENTICATED: 401, ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.NOT_FOUND: 404, ErrorCode.RESOURCE_EXHAUSTED: 429, ErrorCode.INTERNAL: 500,
    ErrorCode.UNIMPLEMENTED: 501, ErrorCode.UNAVAILABLE: 503, ErrorCode.DEADLINE_EXCEEDED: 504,
}
#: Longest utterance the page may stream (the endpointer ends one long before).
MAX_AUDIO_BYTES = 16000 * 2 * 30


def error_response(err: LingxiError) -> JSONResponse:
    return JSONResponse({"error": {"code": err.code.value, "message": err.message}}, HTTP_STATUS.get(err.code, 500))


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as err:
        raise invalid_argument("the body is not JSON") from err
    if not isinstance(body, dict):
        raise invalid_argument("the body must be a JSON object")
    return body


def build_app(console: Console) -> Starlette:
    templates = Jinja2Templates(env=console.env)
    speakers = [(home, speaker) for home in console.homes.values() for speaker in home.speakers.values()]

    def chosen_home(request: Request) -> str:
        home_id = request.query_params.get("home") or next(iter(console.homes))
        if home_id not in console.homes:
            raise LingxiError(ErrorCode.NOT_FOUND, f"no home {home_id!r} on this service")
        return home_id

    def devices_by_room(home_id: str) -> list[tuple[str, list[DeviceView]]]:
        home = console.homes[home_id]
        views = [v for d in console.watcher.devices(home_id) if (v := console.device_view(home_id, d.id)) is not None]
        rooms = [(room.names.first("zh") + f" · {room.id}", [v for v in views if v.info.room == room.id]) for room in home.rooms.values()]
        others = [v for v in views if v.info.room not in home.rooms]
        return [r for r in rooms if r[1]] + ([("other", others)] if others else [])

    def page(request: Request, name: str, **context: Any) -> Response:
        return templates.TemplateResponse(request, name, {"page": name.removesuffix(".html"), **context})

    async def schedule(home_id: str) -> tuple[list[Any], dict[str, float]]:
        scheduler = console.runtime.scheduler
        entries = [e for kind in KINDS for e in await scheduler.entries(home_id, kind)]
        return entries, {e.id: scheduler.remaining(e) for e in entries}

    async def index(request: Request) -> Response:
        home_id = chosen_home(request)
        speaker = request.query_params.get("speaker") or next(iter(console.homes[home_id].speakers))
        selected = console.requests.recent()[0] if console.requests.recent() else None
        return page(request, "index.html", home_id=home_id, speaker=speaker, speakers=speakers, rooms=devices_by_room(home_id),
                    records=console.requests.recent(), selected=selected, voice=console.turns.voice_enabled)

    async def home_page(request: Request) -> Response:
        home_id = chosen_home(request)
        entries, remaining = await schedule(home_id)
        return page(request, "home.html", home=console.homes[home_id], home_id=home_id, homes=list(console.homes),
                    rooms=devices_by_room(home_id), entries=entries, remaining=remaining)

    async def quality_page(request: Request) -> Response:
        try:
            results, problem = charts.load_results(console.bench_results), ""
        except LingxiError as err:
            results, problem = None, err.message
        return page(request, "quality.html", files=console.quality.case_files(), report=console.quality.report,
                    charts=charts.charts(results) if results else [], bench=results, bench_path=console.bench_results,
                    bench_problem=problem)

    async def request_fragment(request: Request) -> Response:
        record = console.requests.get(request.path_params["request_id"])
        if record is None:
            return HTMLResponse("<p class='muted'>This request is no longer kept.</p>", 404)
        return HTMLResponse(console.fragments.request_detail(record))

    async def schedule_fragment(request: Request) -> Response:
        home_id = chosen_home(request)
        entries, remaining = await schedule(home_id)
        return HTMLResponse(console.fragments.schedule(console.homes[home_id], entries, remaining))

    async def ask(request: Request) -> Response:
        body = await _json(request)
        text = str(body.get("text") or "").strip()
        if not text:
            raise invalid_argument("text is empty: say what you want the assistant to do")
        turn = console.turns.request(text, str(body.get("speaker") or ""), str(body.get("session") or ""),
                                     parse_lang(str(body.get("lang") or "")))
        answer = await console.turns.ask(turn)
        return JSONResponse({"answer": answer_to_json(answer), "request_id": answer.request_id})

    async def evaluate(request: Request) -> Response:
        body = await _json(request)
        report = console.quality.start(str(body.get("file") or ""))
        return JSONResponse({"file": report.file, "state": report.state}, 202)

    async def recent(_request: Request) -> Response:
        return JSONResponse([
            {"request_id": r.request_id, "source": r.source, "said": r.said, "speaker": r.speaker,
             "stages": [{"name": s.name, "start_ms": s.start_ms, "elapsed_ms": s.elapsed_ms} for s in r.stages],
             "answer": answer_to_json(r.answer) if r.answer else None, "error": r.error or None}
            for r in console.requests.recent()
        ])

    async def events(_request: Request) -> Response:
        return StreamingResponse(console.feed.stream(), media_type="text/event-stream",
                                 headers={"cache-control": "no-store", "x-accel-buffering": "no"})

    async def listen(socket: WebSocket) -> None:
        await socket.accept()
        params = socket.query_params
        try:
            request = console.turns.request("", params.get("speaker", ""), params.get("session", ""), parse_lang(params.get("lang", "")))
            spoken = await console.turns.listen(request)
        except LingxiError as err:
            await socket.send_json({"error": {"code": err.code.value, "message": err.message}})
            await socket.close()
            return
        await socket.send_json({"request_id": spoken.request_id})
        try:
            received, reason = 0, None
            while reason is None:
                message = await socket.receive()
                if message["type"] == "websocket.disconnect":
                    spoken.close()
                    return
                if message.get("bytes"):
                    received += len(message["bytes"])
                    reason = spoken.feed(message["bytes"][: len(message["bytes"]) // 2 * 2])
                    if received > MAX_AUDIO_BYTES:
                        break
                elif message.get("text") == "end":
                    break
            await socket.send_json({"ended": reason or "client"})
            answer = await spoken.answer()
            await socket.send_json({"answer": answer_to_json(answer), "request_id": answer.request_id})
        except LingxiError as err:
            await socket.send_json({"error": {"code": err.code.value, "message": err.message}})
        except WebSocketDisconnect:
            spoken.close()
            return
        await socket.close()

    async def lingxi_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LingxiError)
        return error_response(exc)

    routes = [
        Route("/", index), Route("/home", home_page), Route("/quality", quality_page),
        Route("/requests/{request_id}", request_fragment), Route("/fragments/schedule", schedule_fragment),
        Route("/events", events), Route("/api/ask", ask, methods=["POST"]), Route("/api/eval", evaluate, methods=["POST"]),
        Route("/api/requests", recent), WebSocketRoute("/api/listen", listen),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(TokenGate, tokens=console.tokens)],
                     exception_handlers={LingxiError: lingxi_error})
