"""The agent's tools as a Model Context Protocol server (stdio), and a small client to list and call them.

MCP (https://modelcontextprotocol.io/specification) standardizes the tool surface: a server announces
its tools (name, description, JSON-schema input, the same shape as a Messages API tool definition) and
runs them when a client calls; the client is the application that hosts the model. Over the **stdio**
transport the client starts the server as a subprocess and they exchange JSON-RPC messages on its
stdin/stdout: no network, no port.

Built on the official Python SDK (``mcp`` 2.x: ``mcp.server.Server``, ``mcp.stdio_client``,
``mcp.ClientSession``; https://github.com/modelcontextprotocol/python-sdk). ``mcp`` is imported only
when a server or client is started, so ``import techpm`` stays fast.

    python -m techpm.agents.mcp_server          # serve the course's tools on stdin/stdout
    listing, results = call_tools([("wilson_interval", {"successes": 41, "n": 50})])
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVER_NAME = "techpm-course-tools"
MCP_REQUIREMENT = "mcp>=2.3,<3"  # as in pyproject.toml (a test keeps them equal)
# Tools with side effects stay off the MCP surface: an MCP client cannot show our approval prompt.
EXCLUDED = ("save_note",)


def ensure_mcp() -> None:
    """Make sure the ``mcp`` SDK is importable: in Colab (which lacks it) install it once, quietly;
    elsewhere say how to install it."""
    import importlib.util

    if importlib.util.find_spec("mcp") is not None:
        return
    from techpm.keys import in_colab

    if in_colab():
        import subprocess

        subprocess.run([sys.executable, "-m", "pip", "install", "-q", MCP_REQUIREMENT], check=True)
        importlib.invalidate_caches()  # let this running kernel find the new package
        return
    from techpm.errors import TechpmError

    raise TechpmError(f"the MCP section needs the mcp package: pip install '{MCP_REQUIREMENT}'.")


def build_server() -> Any:
    """An ``mcp.server.Server`` whose tools are ``default_toolbox()``'s (minus those needing approval)."""
    import mcp_types as types
    from mcp.server import Server

    from techpm.agents.tools import default_toolbox

    toolbox = default_toolbox(with_notes=False)

    async def list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=[types.Tool(name=t.name, description=t.description,
                                                       input_schema=t.input_schema)
                                            for t in toolbox.tools.values() if t.name not in EXCLUDED])

    async def call_tool(ctx: Any, params: Any) -> Any:
        text, is_error = toolbox.call(params.name, params.arguments or {})
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=is_error)

    return Server(SERVER_NAME, on_list_tools=list_tools, on_call_tool=call_tool)


def serve() -> None:
    """Serve on stdin/stdout until the client closes them."""
    import anyio
    from mcp.server.stdio import stdio_server

    server = build_server()

    async def main() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(main)


@dataclass(frozen=True)
class ListedTool:
    name: str
    description: str
    input_schema: dict[str, Any]


@dataclass(frozen=True)
class CallOutcome:
    name: str
    arguments: dict[str, Any]
    text: str
    is_error: bool


def server_parameters() -> Any:
    """How a client starts this server: this Python, ``-m techpm.agents.mcp_server``, techpm importable."""
    from mcp import StdioServerParameters
    from mcp.client.stdio import get_default_environment

    lib = str(Path(__file__).resolve().parents[2])  # the folder that holds the techpm package
    env = {**get_default_environment(), "PYTHONPATH": os.pathsep.join(p for p in (lib, os.environ.get("PYTHONPATH"))
                                                                        if p)}
    return StdioServerParameters(command=sys.executable, args=["-m", "techpm.agents.mcp_server"], env=env)


def call_tools(calls: Sequence[tuple[str, dict[str, Any]]] = ()) -> tuple[list[ListedTool], list[CallOutcome]]:
    """Start the server, list its tools, make ``calls`` through an MCP client session, stop the server.

    Runs the client's event loop in its own thread, so it works inside Jupyter (whose loop is running)."""
    import tempfile

    ensure_mcp()
    box: dict[str, Any] = {}
    # The server's stderr goes to a real file: a notebook's sys.stderr has no file descriptor to hand on.
    errlog = tempfile.TemporaryFile(mode="w+", encoding="utf-8")

    async def session() -> None:
        from mcp import ClientSession, stdio_client

        async with stdio_client(server_parameters(), errlog=errlog) as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            listed = (await s.list_tools()).tools
            box["tools"] = [ListedTool(t.name, t.description or "", dict(t.input_schema)) for t in listed]
            outcomes = []
            for name, arguments in calls:
                result = await s.call_tool(name, arguments)
                text = " ".join(getattr(c, "text", "") for c in result.content)
                outcomes.append(CallOutcome(name, dict(arguments), text, bool(result.is_error)))
            box["calls"] = outcomes

    def target() -> None:
        import anyio

        try:
            anyio.run(session)
        except BaseException as exc:  # noqa: BLE001 (reported in the caller's thread)
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=60)
    errlog.seek(0)
    server_said = errlog.read().strip().splitlines()[-1:]
    errlog.close()
    if "error" in box or "tools" not in box:
        from techpm.errors import TechpmError

        raise TechpmError(f"the MCP session failed: {box.get('error', 'it did not finish within 60 s')}"
                          + (f" (the server said: {server_said[0]})" if server_said else ""))
    return box["tools"], box["calls"]


if __name__ == "__main__":
    serve()
