"""Drive a running JupyterHub as a room of learners would, through its REST API and proxy: create users,
start their servers, and run a notebook's code cells in each learner's own kernel over the kernel
websocket. Used by the hub smoke test and ``benchmarks/workshop_load.py``; loopback hubs only.

Sources: JupyterHub REST API (https://jupyterhub.readthedocs.io/en/stable/reference/rest-api.html),
Jupyter Server REST API and the kernel websocket (https://jupyter-server.readthedocs.io/en/latest/
developers/rest-api.html), the Jupyter messaging protocol 5.3
(https://jupyter-client.readthedocs.io/en/stable/messaging.html).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from techpm.errors import TechpmError


@dataclass
class Hub:
    base_url: str  # http://127.0.0.1:PORT
    token: str  # an API token with admin:users, admin:servers, access:servers

    def api(self, method: str, path: str, body: object | None = None, timeout_s: float = 30.0) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            text = response.read()
        return json.loads(text) if text else None

    def wait_up(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self.api("GET", "/hub/api/")
                return
            except (OSError, urllib.error.HTTPError):
                if time.monotonic() > deadline:
                    raise TechpmError(f"the hub at {self.base_url} did not answer in {timeout_s:.0f} s") from None
                time.sleep(0.3)

    def create_users(self, names: list[str]) -> None:
        """Create the learners the hub does not know yet (a config's allowed users already exist)."""
        known = {u["name"] for u in self.api("GET", "/hub/api/users")}
        missing = [n for n in names if n not in known]
        if missing:
            self.api("POST", "/hub/api/users", {"usernames": missing})

    def start_server(self, name: str, timeout_s: float = 180.0) -> float:
        """Start a learner's server and wait until it is ready; return the seconds it took."""
        start = time.monotonic()
        try:
            self.api("POST", f"/hub/api/users/{name}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running
                raise
        while time.monotonic() - start < timeout_s:
            user = self.api("GET", f"/hub/api/users/{name}")
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - start
            time.sleep(0.5)
        raise TechpmError(f"{name}'s server was not ready after {timeout_s:.0f} s")

    def stop_server(self, name: str) -> None:
        try:
            self.api("DELETE", f"/hub/api/users/{name}/server")
        except urllib.error.HTTPError:
            pass

    def user_api(self, name: str, method: str, path: str, body: object | None = None) -> object:
        return self.api(method, f"/user/{name}/api/{path}", body)


@dataclass
class Run:
    learner: str
    notebook: str
    seconds: float
    errors: list[str] = field(default_factory=list)
    text: str = ""


def _message(code: str, session: str) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "techpm", "session": session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}


def run_notebook(hub: Hub, learner: str, notebook_path: str, timeout_s: float = 600.0) -> Run:
    """Read ``notebook_path`` (relative to the learner's folder) from their server through the proxy, start
    a kernel there, run every code cell in order, collect the text outputs and errors, shut the kernel down."""
    import websocket

    nb = hub.user_api(learner, "GET", f"contents/{notebook_path}")["content"]
    kernel = hub.user_api(learner, "POST", "kernels", {"name": "python3"})
    url = hub.base_url.replace("http", "ws", 1) + f"/user/{learner}/api/kernels/{kernel['id']}/channels"
    ws = websocket.create_connection(url, header=[f"Authorization: token {hub.token}"], timeout=timeout_s)
    run = Run(learner, notebook_path, 0.0)
    texts: list[str] = []
    session = uuid.uuid4().hex
    start = time.monotonic()
    try:
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            code = "".join(cell["source"])
            message = _message(code, session)
            ws.send(json.dumps(message))
            replied = idle = False
            while not (replied and idle):  # outputs can trail the reply: wait for the kernel's idle too
                reply = json.loads(ws.recv())
                if reply.get("parent_header", {}).get("msg_id") != message["header"]["msg_id"]:
                    continue
                kind, content = reply["msg_type"], reply.get("content", {})
                if kind == "stream":
                    texts.append(content.get("text", ""))
                elif kind in ("execute_result", "display_data"):
                    texts.append(str(content.get("data", {}).get("text/markdown", ""))
                                 + str(content.get("data", {}).get("text/plain", "")))
                elif kind == "error":
                    run.errors.append(f"{content.get('ename')}: {content.get('evalue')}")
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
            if run.errors:
                break
    finally:
        run.seconds = time.monotonic() - start
        ws.close()
        try:
            hub.user_api(learner, "DELETE", f"kernels/{kernel['id']}")
        except urllib.error.HTTPError:
            pass
    run.text = "".join(texts)
    return run


def process_tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), for per-learner sizing."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) * 1024
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (OSError, StopIteration, ValueError):
            continue
        todo += [int(c) for c in children]
    return total


def _free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port_block() -> int:
    """A loopback port p with p, p+1 and p+2 free (the hub, its API, the proxy's API)."""
    import socket

    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65000 and _free(port + 1) and _free(port + 2):
            return port
    raise TechpmError("no three free loopback ports in a row")


@contextmanager
def local_hub(root: Path, config: Path, singleuser: str, *, startup_timeout_s: float = 90.0) -> Iterator[Hub]:
    """Run ``jupyterhub -f config`` on loopback with ``root`` as TECHPM_HUB_ROOT, an admin token and a room
    password; yield a client; stop the hub, its proxy and every learner's server afterwards."""
    import os
    import secrets
    import signal
    import subprocess
    import sys

    port, token = free_port_block(), secrets.token_hex(16)
    env = {**os.environ, "TECHPM_HUB_ROOT": str(root), "TECHPM_HUB_PORT": str(port), "TECHPM_HUB_IP": "127.0.0.1",
           "TECHPM_WORKSHOP_PASSWORD": secrets.token_hex(8), "TECHPM_HUB_ADMIN_TOKEN": token,
           "TECHPM_HUB_SINGLEUSER": singleuser}
    env.pop("ANTHROPIC_API_KEY", None)
    with open(root / "hub.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=root, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        hub = Hub(f"http://127.0.0.1:{port}", token)
        try:
            hub.wait_up(startup_timeout_s)
            yield hub
        finally:
            try:
                for user in hub.api("GET", "/hub/api/users"):
                    hub.stop_server(user["name"])
            except (OSError, urllib.error.HTTPError):
                pass
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def server_pids() -> dict[str, int]:
    """Learner name -> pid of their single-user server, found in /proc by its JUPYTERHUB_USER (Linux)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"jupyterhub-singleuser" not in (entry / "cmdline").read_bytes():
                continue
            env = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        user = next((v.split(b"=", 1)[1].decode() for v in env if v.startswith(b"JUPYTERHUB_USER=")), None)
        if user:
            out[user] = int(entry.name)
    return out
