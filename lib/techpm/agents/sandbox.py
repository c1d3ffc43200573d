"""A sandboxed Python runner: what an agent's "run code" tool may and may not do.

The code runs in a **separate process** (``python -I``: no user site-packages, no ``PYTHON*`` variables)
with an empty environment (no API key can leak in), a fresh **scratch directory** as its working
directory, and limits set with ``resource.setrlimit`` before it starts:

- ``RLIMIT_CPU``: CPU seconds; past it the kernel sends SIGXCPU and the process dies (an endless loop);
- ``RLIMIT_AS``: address space; a huge allocation raises ``MemoryError`` instead of eating the machine;
- ``RLIMIT_FSIZE``: the largest file it may write; ``RLIMIT_NOFILE``: open files;
- a wall-clock **timeout** on top (a process that sleeps uses no CPU): the whole process group is killed.

Inside, a Python **audit hook** (PEP 578, https://peps.python.org/pep-0578/) refuses network sockets,
new processes and any file outside the scratch directory (reading Python's own library stays allowed,
so ``import`` works). An audit hook is a tripwire, not a security boundary: native code (``ctypes`` is
refused for that reason) or an interpreter bug could get past it. Production agents run untrusted code
in containers or micro-VMs with no network (gVisor, Firecracker); the product questions are the same:
what can the code reach, for how long, and who sees the output.

``resource`` exists on Linux and macOS (macOS ignores ``RLIMIT_AS``); Windows has none of these limits,
so there the runner refuses to run rather than pretend to be safe.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from techpm.errors import TechpmError

DEFAULT_TIMEOUT_S = 5.0
DEFAULT_CPU_S = 2
DEFAULT_MEMORY_MB = 512
MAX_FILE_BYTES = 10_000_000
MAX_OUTPUT_CHARS = 4_000

# The child's first lines: install the audit hook, then run the agent's code from stdin.
_BOOT = r'''
import os, sys
scratch = os.path.realpath(sys.argv[1])
readable = tuple(sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                                       sys.base_exec_prefix, *sys.path) if p}))
code = sys.stdin.read()
def _inside(path, roots):
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
def _hook(event, args):
    if event == "open":
        path, mode, flags = (list(args) + [None, None])[:3]
        if isinstance(path, int) or path is None:
            return
        real = os.path.realpath(os.fsdecode(path))
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if _inside(real, (scratch,)) or (not writing and _inside(real, readable)):
            return
        raise PermissionError(f"sandbox: no access to {os.fsdecode(path)!r} (outside the scratch directory)")
    if event.startswith("socket."):
        raise PermissionError("sandbox: no network access")
    if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.forkpty",
                 "os.spawn", "os.kill", "ctypes.dlopen", "ctypes.cdata"):
        raise PermissionError(f"sandbox: {event} is not allowed")
    if event in ("os.listdir", "os.scandir") and args and args[0] is not None:
        real = os.path.realpath(os.fsdecode(args[0]))
        if not _inside(real, (scratch, *readable)):
            raise PermissionError(f"sandbox: no access to {os.fsdecode(args[0])!r} (outside the scratch directory)")
sys.addaudithook(_hook)
os.chdir(scratch)
exec(compile(code, "<agent code>", "exec"), {"__name__": "__main__"})
'''


@dataclass(frozen=True)
class SandboxResult:
    """What the sandbox reports back to the agent (and to the person reading the transcript)."""

    stdout: str
    stderr: str
    returncode: int | None
    verdict: str        # 'ok', 'error', 'blocked', 'cpu limit', 'memory limit', 'timeout'
    wall_s: float
    scratch_dir: str

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def as_tool_result(self) -> str:
        """The text an agent receives: the output, or what the sandbox stopped and why."""
        if self.ok:
            return self.stdout.strip() or "(no output)"
        last = (self.stderr.strip().splitlines()[-1:] or [""])[0]
        why = {"cpu limit": "killed by the kernel: the CPU-time limit ran out (an endless loop?)",
               "timeout": "killed: the wall-clock timeout ran out"}.get(self.verdict, last)
        return f"[{self.verdict}] {why}"


def _limits(cpu_s: int, memory_mb: int):
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        if sys.platform.startswith("linux"):
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    return apply


def _verdict(returncode: int | None, stderr: str, timed_out: bool) -> str:
    if timed_out:
        return "timeout"
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL) if hasattr(signal, "SIGXCPU") else ():
        return "cpu limit"
    if "MemoryError" in stderr:
        return "memory limit"
    if "PermissionError: sandbox:" in stderr:
        return "blocked"
    return "ok" if returncode == 0 else "error"


def run_python(code: str, *, timeout_s: float = DEFAULT_TIMEOUT_S, cpu_s: int = DEFAULT_CPU_S,
               memory_mb: int = DEFAULT_MEMORY_MB, scratch_dir: str | Path | None = None) -> SandboxResult:
    """Run ``code`` in a fresh sandboxed Python process; never raises for what the code does."""
    if not isinstance(code, str):
        raise TechpmError(f"code must be a string of Python, got {type(code).__name__}.")
    if os.name != "posix":
        raise TechpmError("the sandbox needs POSIX resource limits (Linux or macOS); it refuses to run unsandboxed.")
    scratch = Path(scratch_dir) if scratch_dir else Path(tempfile.mkdtemp(prefix="techpm-sandbox-"))
    scratch.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-I", "-c", _BOOT, str(scratch)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=scratch, env=env, text=True,
                            preexec_fn=_limits(cpu_s, memory_mb), start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(code, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    return SandboxResult(out[-MAX_OUTPUT_CHARS:], err[-MAX_OUTPUT_CHARS:], proc.returncode,
                         _verdict(proc.returncode, err, timed_out), wall, str(scratch))
