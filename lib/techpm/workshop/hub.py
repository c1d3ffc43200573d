"""``techpm workshop hub``: a JupyterHub for a room, on one machine, and Zero to JupyterHub values for a
room that needs Kubernetes.

    techpm workshop hub --learners 25 --ref workshop-2026-12-03 --out build/hub

writes ``build/hub/``:

- ``jupyterhub_config.py``: JupyterHub from PyPI with ``configurable-http-proxy`` (npm); the local-process
  spawner (one folder per learner under ``$TECHPM_HUB_ROOT/home``, every server a process of the hub's
  user); a shared workshop password (DummyAuthenticator) for the named learners; memory and CPU limits
  (advisory on one machine: the local spawner sets ``MEM_LIMIT``/``CPU_LIMIT`` but cannot enforce them;
  Kubernetes does); the idle culler; the shared answer cache handed to every learner through
  ``TECHPM_CACHE_DIR``, read-only; the handout (the cohort's copies, or the lessons) copied into each
  learner's home on first start. The paths and port come from environment variables with the defaults
  written in, so the same file runs in the smoke test and in the room.
- ``setup.sh``: the one-machine install: a virtual environment with the course at the pinned ref,
  JupyterHub, the culler and the proxy.
- ``z2jh-values.yaml``: the same choices for the Zero to JupyterHub Helm chart.
- ``links.md``: the nbgitpuller link, pinned to the same ref, and the sizing rule.

Sources: JupyterHub's configuration reference (https://jupyterhub.readthedocs.io/en/stable/reference/
config-reference.html, version 5/6), the idle culler (https://github.com/jupyterhub/jupyterhub-idle-culler),
Zero to JupyterHub's customisation guide (https://z2jh.jupyter.org/en/stable/jupyterhub/customizing/
user-resources.html), nbgitpuller's URL options (https://nbgitpuller.readthedocs.io/en/latest/topic/
url-options.html).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from techpm.errors import TechpmError

_NAME = re.compile(r"^[a-z][a-z0-9._-]{0,31}$")


@dataclass(frozen=True)
class HubPlan:
    """What the room needs. ``ref`` is the git tag or branch every learner gets (nbgitpuller clones a
    branch or tag, not a bare commit: tag the commit you tested, e.g. ``workshop-2026-12-03``)."""

    learners: tuple[str, ...]
    repository: str
    ref: str
    instructor: str = "instructor"
    mem_limit: str = "1G"
    cpu_limit: float = 1.0
    idle_timeout_s: int = 3600
    hub_root: str = "/srv/techpm"
    port: int = 8000
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        bad = [n for n in (*self.learners, self.instructor) if not _NAME.match(n)]
        if bad:
            raise TechpmError(f"learner names must be lowercase letters, digits, '.', '_' or '-' "
                              f"(up to 32, starting with a letter); not: {', '.join(map(repr, bad))}")
        if len(set(self.learners)) != len(self.learners):
            raise TechpmError("learner names must be unique")
        if not re.match(r"^[A-Za-z0-9._/-]+$", self.ref):
            raise TechpmError(f"ref must be a git tag or branch name, got {self.ref!r}")


def numbered_learners(n: int) -> tuple[str, ...]:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 500:
        raise TechpmError(f"learners must be a whole number from 1 to 500, got {n!r}")
    return tuple(f"learner{i:02d}" for i in range(1, n + 1))


def render_config(plan: HubPlan) -> str:
    """The text of ``jupyterhub_config.py``."""
    learners = ", ".join(repr(n) for n in plan.learners)
    return f'''# jupyterhub_config.py for a techpm workshop, written by `techpm workshop hub`.
# Course: {plan.repository} at {plan.ref}. Start it with:  jupyterhub -f jupyterhub_config.py
# Environment (defaults in brackets): TECHPM_HUB_ROOT [{plan.hub_root}], TECHPM_HUB_PORT [{plan.port}],
# TECHPM_WORKSHOP_PASSWORD (required: the room's shared password), TECHPM_HUB_ADMIN_TOKEN (optional: an
# API token for the instructor's tools), TECHPM_HUB_SINGLEUSER [ROOT/venv/bin/jupyterhub-singleuser].
import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub

ROOT = Path(os.environ.get("TECHPM_HUB_ROOT", {plan.hub_root!r}))
PORT = int(os.environ.get("TECHPM_HUB_PORT", "{plan.port}"))
LEARNERS = [{learners}]
INSTRUCTOR = {plan.instructor!r}

c.JupyterHub.ip = os.environ.get("TECHPM_HUB_IP", "0.0.0.0")
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{{PORT + 2}}"
c.JupyterHub.db_url = f"sqlite:///{{ROOT / 'jupyterhub.sqlite'}}"
c.JupyterHub.cookie_secret_file = str(ROOT / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(ROOT / "jupyterhub.pid")

# One shared password for the room; only the named learners (and the instructor) may log in.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["TECHPM_WORKSHOP_PASSWORD"]
c.Authenticator.allowed_users = set(LEARNERS) | {{INSTRUCTOR}}
c.Authenticator.admin_users = {{INSTRUCTOR}}

# One folder per learner; every server is a process of the hub's user (no system accounts to create).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(ROOT / "home" / "{{username}}")
c.Spawner.cmd = [os.environ.get("TECHPM_HUB_SINGLEUSER", str(ROOT / "venv" / "bin" / "jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab/tree/notebooks/00_start_here.ipynb"
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Advisory here (the local spawner cannot enforce them); enforced by Kubernetes in z2jh-values.yaml.
c.Spawner.mem_limit = {plan.mem_limit!r}
c.Spawner.cpu_limit = {plan.cpu_limit!r}
# The instructor's pre-generated answers (techpm.generate_many), read-only for everyone.
c.Spawner.environment = {{"TECHPM_CACHE_DIR": str(ROOT / "answer-cache")}}


def copy_handout(spawner):
    """First start: copy the handout (cohort copies, or the lessons) into the learner's folder."""
    home = Path(spawner.home_dir_template.format(username=spawner.user.name))
    home.mkdir(parents=True, exist_ok=True)
    handout = ROOT / "handout"
    for item in sorted(handout.iterdir()) if handout.is_dir() else []:
        target = home / item.name
        if not target.exists():
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)


c.Spawner.pre_spawn_hook = copy_handout

# Stop servers idle for {plan.idle_timeout_s // 60} minutes, so a room's memory comes back.
c.JupyterHub.services = [
    {{"name": "idle-culler",
      "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout={plan.idle_timeout_s}"]}},
]
c.JupyterHub.load_roles = [
    {{"name": "idle-culler", "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
      "services": ["idle-culler"]}},
]
if os.environ.get("TECHPM_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services.append({{"name": "techpm-instructor", "api_token": os.environ["TECHPM_HUB_ADMIN_TOKEN"]}})
    c.JupyterHub.load_roles.append(
        {{"name": "techpm-instructor", "services": ["techpm-instructor"],
          "scopes": ["admin:users", "admin:servers", "access:servers", "read:users", "list:users"]}})
'''


def render_setup(plan: HubPlan) -> str:
    """``setup.sh``: the one-machine install, pinned to ``plan.ref``."""
    return f'''#!/usr/bin/env bash
# One machine for a techpm workshop: the course at {plan.ref}, JupyterHub, the idle culler and the proxy.
# Run as the user the hub will run as; then: TECHPM_WORKSHOP_PASSWORD=... jupyterhub -f jupyterhub_config.py
set -euo pipefail
ROOT="${{TECHPM_HUB_ROOT:-{plan.hub_root}}}"
mkdir -p "$ROOT/home" "$ROOT/handout" "$ROOT/answer-cache"
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/pip" install -q "techpm @ git+{plan.repository}@{plan.ref}" "jupyterhub>=5" jupyterhub-idle-culler nbgitpuller
npm install -g configurable-http-proxy
# The handout: a cohort's executed copies (techpm workshop cohort cohort.json --out "$ROOT/handout"),
# or the lessons, exercises and answer keys at the pinned ref.
if [ -z "$(ls -A "$ROOT/handout")" ]; then
  git clone -q --depth 1 --branch {plan.ref} {plan.repository} "$ROOT/course"
  cp -r "$ROOT/course/notebooks" "$ROOT/course/exercises" "$ROOT/course/solutions" "$ROOT/handout/"
fi
# The shared answer cache, read-only for the learners' servers (unpack the instructor's answers first).
chmod -R a-w "$ROOT/answer-cache"
'''


def render_helm_values(plan: HubPlan) -> str:
    """``z2jh-values.yaml`` for the Zero to JupyterHub chart: the same choices, enforced by Kubernetes."""
    gb = plan.mem_limit.rstrip("GgBb") or "1"
    return f'''# Zero to JupyterHub values for a techpm workshop ({plan.repository} at {plan.ref}).
# helm upgrade --install techpm-room jupyterhub/jupyterhub --values z2jh-values.yaml
hub:
  config:
    JupyterHub:
      authenticator_class: dummy
    DummyAuthenticator:
      password: CHANGE-ME  # the room's shared password
    Authenticator:
      allowed_users: [{", ".join(plan.learners)}]
      admin_users: [{plan.instructor}]
singleuser:
  image:
    name: quay.io/jupyter/base-notebook
    tag: python-3.12
  defaultUrl: /lab/tree/techpm/notebooks/00_start_here.ipynb
  memory:
    limit: {gb}G
    guarantee: {gb}G
  cpu:
    limit: {plan.cpu_limit}
    guarantee: {max(plan.cpu_limit / 2, 0.1)}
  extraEnv:
    TECHPM_CACHE_DIR: /srv/answer-cache
  lifecycleHooks:
    postStart:
      exec:
        command: ["sh", "-c", "pip install -q 'techpm @ git+{plan.repository}@{plan.ref}' nbgitpuller && gitpuller {plan.repository} {plan.ref} techpm || true"]
  storage:
    extraVolumes:
      - name: answer-cache
        persistentVolumeClaim:
          claimName: techpm-answer-cache
    extraVolumeMounts:
      - name: answer-cache
        mountPath: /srv/answer-cache
        readOnly: true
cull:
  enabled: true
  timeout: {plan.idle_timeout_s}
'''


def nbgitpuller_link(hub_url: str, repository: str, ref: str, notebook: str = "notebooks/00_start_here.ipynb") -> str:
    """The link that clones (or updates) the course at ``ref`` into a learner's folder and opens ``notebook``."""
    name = repository.rstrip("/").split("/")[-1].removesuffix(".git")
    query = urlencode({"repo": repository, "branch": ref, "urlpath": f"lab/tree/{name}/{notebook}"})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def write_hub(out: Path, plan: HubPlan, hub_url: str = "http://HUB-ADDRESS") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "jupyterhub_config.py": render_config(plan),
        "setup.sh": render_setup(plan),
        "z2jh-values.yaml": render_helm_values(plan),
        "links.md": (f"# Links for the room\n\nnbgitpuller (course at `{plan.ref}`):\n\n"
                     f"{nbgitpuller_link(hub_url, plan.repository, plan.ref)}\n\n"
                     f"Shared password suggestion: `{secrets.token_urlsafe(9)}` (set TECHPM_WORKSHOP_PASSWORD).\n"
                     "Sizing: see the instructor guide's \"Running a room\" (measured by "
                     "benchmarks/workshop_load.py).\n"),
    }
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (out / "setup.sh").chmod(0o755)
    return written
