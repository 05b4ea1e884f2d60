"""The tests' HTTP client: Starlette's TestClient, with each request run in the app's event loop as one call.

Starlette's transport crosses from the test's thread into the event loop's thread seven or more times a request (two
events, a stream, a cancel scope, the app's task, the wait, each body chunk), and a client used outside a `with` block
starts a new event loop thread for every request. Here a request is one crossing: httpx's own ASGI transport builds
the scope, runs the app and reads the whole response inside the loop. Clients outside a `with` block share one loop
for the process. Same cookies, redirects, headers and raised app exceptions as TestClient (only the transport is
replaced); responses are read whole before they are returned (no test reads a body as a stream)."""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Iterator
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi.testclient import TestClient

_shared: list[BlockingPortal] = []


def _shared_portal() -> BlockingPortal:
    if not _shared:
        running = start_blocking_portal()
        _shared.append(running.__enter__())
        atexit.register(running.__exit__, None, None, None)
    return _shared[0]


class _OneCall(httpx.BaseTransport):
    def __init__(self, client: Client, raise_server_exceptions: bool, root_path: str,
                 peer: tuple[str, int]) -> None:
        self.client = client
        self.asgi = httpx.ASGITransport(client.app, raise_app_exceptions=raise_server_exceptions,
                                        root_path=root_path, client=peer)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # the body as bytes, which the loop's side can stream
        with self.client.portal_in_use() as portal:
            status, headers, body = portal.call(self._send, request)
        return httpx.Response(status, headers=headers, content=body, request=request)

    async def _send(self, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        response = await self.asgi.handle_async_request(request)
        return response.status_code, response.headers.raw, await response.aread()


class Client(TestClient):
    __test__ = False

    def __init__(self, app: Any, raise_server_exceptions: bool = True, root_path: str = "",
                 client: tuple[str, int] = ("testclient", 50000), **kwargs: Any) -> None:
        super().__init__(app, raise_server_exceptions=raise_server_exceptions, root_path=root_path, client=client,
                         **kwargs)
        self._transport = _OneCall(self, raise_server_exceptions, root_path, client)

    @contextlib.contextmanager
    def portal_in_use(self) -> Iterator[BlockingPortal]:
        """The loop of this client's `with` block (where its app's lifespan runs), else the process's shared one."""
        yield self.portal or _shared_portal()
