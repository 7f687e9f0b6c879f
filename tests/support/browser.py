"""A headless Chromium driven over the DevTools protocol, for the tests of pages.

Chromium comes from Debian's package (``.ci/run`` installs it); where it is absent the
tests that need it are skipped and say why."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.conftest import free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)


class Browser:
    """One DevTools connection; ``call`` sends a command (to a target's session if given)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, session: str | None = None, **params: Any) -> Any:
        number = next(self.ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if reply.get("id") == number:
                assert "error" not in reply, reply
                return reply.get("result", {})

    async def targets(self, kind: str) -> list[dict[str, Any]]:
        found = await self.call("Target.getTargets")
        return [t for t in found["targetInfos"] if t["type"] == kind]

    async def evaluate(self, target_id: str, expression: str) -> Any:
        """The JSON value of ``expression`` in a target (a page or an isolated iframe)."""
        attached = await self.call("Target.attachToTarget", targetId=target_id, flatten=True)
        result = await self.call(
            "Runtime.evaluate",
            session=attached["sessionId"],
            expression=expression,
            returnByValue=True,
        )
        return result["result"].get("value")

    async def click_in_frame(self, page_id: str, frame_id: str, selector: str) -> None:
        """Click the element of a framed document as a person does (a real mouse event, so
        that the browser treats it as a user gesture)."""
        box = "JSON.stringify((({x, y, width, height}) => [x, y, width, height])(%s))"
        await self.evaluate(page_id, "document.querySelector('iframe').scrollIntoView()")
        frame = json.loads(
            await self.evaluate(
                page_id, box % "document.querySelector('iframe').getBoundingClientRect()"
            )
        )
        link = json.loads(
            await self.evaluate(
                frame_id, box % f"document.querySelector({selector!r}).getBoundingClientRect()"
            )
        )
        x = frame[0] + link[0] + link[2] / 2
        y = frame[1] + link[1] + link[3] / 2
        attached = await self.call("Target.attachToTarget", targetId=page_id, flatten=True)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent",
                session=attached["sessionId"],
                type=kind,
                x=x,
                y=y,
                button="left",
                clickCount=1,
            )

    async def appears(self, kind: str, url_part: str, within: float) -> bool:
        """Whether a target of ``kind`` whose URL contains ``url_part`` shows up in time."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if any(url_part in t["url"] for t in await self.targets(kind)):
                return True
            await asyncio.sleep(0.1)
        return False

    async def wait_for(self, kind: str, url_part: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            found = [t for t in await self.targets(kind) if url_part in t["url"]]
            if found:
                return found[0]
            assert time.monotonic() < deadline, await self.targets(kind)
            await asyncio.sleep(0.1)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """A fresh headless Chromium (its own profile), closed afterwards."""
    assert CHROMIUM is not None
    port = free_port()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = await asyncio.create_subprocess_exec(
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-popup-blocking",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = await _browser_url(port)
            async with connect(url, max_size=None) as ws:
                yield Browser(ws)
        finally:
            proc.terminate()
            await asyncio.wait_for(proc.wait(), 10)
            # Chromium's helper processes may still write to the profile for a moment.
            for _ in range(50):
                if await asyncio.to_thread(_removed, profile):
                    break
                await asyncio.sleep(0.1)


def _removed(path: str) -> bool:
    shutil.rmtree(path, ignore_errors=True)
    return not os.path.exists(path)


def _version(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version") as answer:
        url: str = json.load(answer)["webSocketDebuggerUrl"]
        return url


async def _browser_url(port: int) -> str:
    for _ in range(200):
        try:
            return await asyncio.to_thread(_version, port)
        except OSError:
            await asyncio.sleep(0.05)
    raise AssertionError("Chromium did not open its DevTools port")
