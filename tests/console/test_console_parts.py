"""The console's parts without a browser: the token door, the request ring, the waterfall, the charts."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assistant.console.auth import COOKIE, TokenGate
from assistant.console.charts import charts, latency_rows, rate_rows
from assistant.console.requests import RequestLog, Source
from assistant.console.views import waterfall
from assistant.pipeline.events import StageEnded, StageStarted
from assistant.pipeline.messages import Answer
from tests.console.conftest import BENCH


def gated(*tokens: str) -> TestClient:
    app = Starlette(routes=[Route("/", lambda _request: PlainTextResponse("the console"))],
                    middleware=[Middleware(TokenGate, tokens=tokens)])
    return TestClient(app, follow_redirects=False)


def test_without_tokens_the_console_is_open():
    assert gated().get("/").text == "the console"


def test_with_tokens_a_page_needs_one_and_a_token_in_the_address_becomes_a_cookie():
    tokens = ("s3cret", "other")
    refused = gated(*tokens).get("/")
    assert refused.status_code == 401 and "UNAUTHENTICATED" in refused.text
    assert gated(*tokens).get("/?token=wrong").status_code == 401
    admitted = gated(*tokens).get("/?token=s3cret&home=demo")
    assert admitted.status_code == 303
    assert admitted.headers["location"] == "/?home=demo"  # the token does not stay in the address
    assert "HttpOnly" in admitted.headers["set-cookie"] and "SameSite=Strict" in admitted.headers["set-cookie"]
    with_cookie = gated(*tokens)
    with_cookie.cookies.set(COOKIE, "s3cret")
    assert with_cookie.get("/").text == "the console"
    assert gated(*tokens).get("/", headers={"authorization": "Bearer other"}).text == "the console"
    assert gated(*tokens).get("/", headers={"authorization": "Bearer nope"}).status_code == 401


def test_the_ring_keeps_the_newest_requests_and_builds_each_from_its_events():
    seen = []
    log = RequestLog(2, seen.append)
    for rid in ("a", "b", "c"):
        log.on_event(StageStarted(rid, "nlu"))
        log.on_event(StageEnded(rid, "nlu", 1.5))
    assert [r.request_id for r in log.recent()] == ["c", "b"]
    record = log.get("c")
    assert record is not None and record.source is Source.DEVICE and not record.finished
    assert record.stages[0].name == "nlu" and record.stages[0].elapsed_ms == 1.5
    log.answered(Answer("c", "s", "demo", "打开客厅的灯", "zh", "living_room_speaker", speech="好的"))
    record = log.get("c")
    assert record is not None and record.finished and record.said == "打开客厅的灯" and record.speaker == "living_room_speaker"
    assert seen[-1] is record


def test_a_spoken_request_waterfall_starts_with_recognition_and_shows_the_llm_inside_planning():
    log = RequestLog(5)
    log.begin("r", "", "living_room_speaker", "", spoken=True)
    for stage, elapsed in (("nlu", 2.0), ("plan", 300.0), ("skills", 10.0)):
        log.on_event(StageStarted("r", stage))
        log.on_event(StageEnded("r", stage, elapsed))
    log.answered(Answer("r", "s", "demo", "打开客厅的灯", "zh", "living_room_speaker", transcript="打开客厅的灯",
                        timings_ms={"asr": 800.0, "nlu": 2.0, "plan": 300.0, "llm": 250.0, "skills": 10.0, "total": 312.0}))
    record = log.get("r")
    assert record is not None
    bars = {bar.name: bar for bar in waterfall(record).bars}
    assert list(bars) == ["asr", "nlu", "plan", "llm", "skills"]
    assert bars["asr"].start_ms == 0 and bars["nlu"].start_ms >= 800.0
    assert bars["llm"].nested and bars["llm"].start_ms == bars["plan"].start_ms and bars["llm"].elapsed_ms == 250.0
    assert waterfall(record).total_ms >= 1112.0


def test_the_benchmark_figures_become_latency_and_success_charts():
    assert [label for label, _ in latency_rows(BENCH["foundation"])] == ["nlu", "pipeline"]
    rates = {label: pct for label, pct, _ in rate_rows(BENCH)}
    assert rates["voice / success / zh"] == 100 * 18 / 22 and rates["budget / hard_cases / local_alone / accuracy_pct"] == 62.5
    drawn = charts(BENCH)
    assert [c.title for c in drawn] == ["foundation: latency (ms)", "voice: latency (ms)", "success rates (%)"]
    assert all(c.svg.startswith("<svg") and "</svg>" in c.svg for c in drawn)
    assert "850 ms" in drawn[1].svg and "18/22" in drawn[2].svg
