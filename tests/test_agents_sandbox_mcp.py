"""The sandboxed Python runner (limits, refusals, scratch directory) and the MCP stdio server and client."""

from __future__ import annotations

import json
import sys

import pytest

from techpm import calc
from techpm.agents import sandbox
from techpm.errors import TechpmError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the sandbox needs POSIX resource limits")


@pytest.mark.parametrize(("code", "verdict", "says"), [
    ("print(sum(i * i for i in range(1, 101)))", "ok", "338350"),
    ("print(open('/etc/passwd').read())", "blocked", "outside the scratch directory"),
    ("import os; print(os.listdir('/'))", "blocked", "outside the scratch directory"),
    ("x = bytearray(10**10)", "memory limit", "MemoryError"),
    ("import socket; socket.create_connection(('127.0.0.1', 9))", "blocked", "no network"),
    ("import subprocess; subprocess.run(['ls'])", "blocked", "not allowed"),
    ("1 / 0", "error", "ZeroDivisionError"),
])
def test_sandbox_verdicts(code, verdict, says):
    result = sandbox.run_python(code, cpu_s=1, timeout_s=10)
    assert result.verdict == verdict, result.stderr
    assert says in result.as_tool_result()


def test_endless_loop_hits_the_cpu_limit_and_sleep_the_timeout():
    loop = sandbox.run_python("while True: pass", cpu_s=1, timeout_s=20)
    assert loop.verdict == "cpu limit" and "CPU-time limit" in loop.as_tool_result()
    sleeper = sandbox.run_python("import time; time.sleep(30)", cpu_s=5, timeout_s=0.5)
    assert sleeper.verdict == "timeout" and sleeper.wall_s < 10


def test_scratch_directory_is_writable_and_environment_empty(tmp_path):
    result = sandbox.run_python("import os\nopen('a.txt', 'w').write('x')\nprint(sorted(os.listdir('.')), "
                                "'ANTHROPIC_API_KEY' in os.environ)", scratch_dir=tmp_path)
    assert result.ok and result.stdout.strip() == "['a.txt'] False"
    assert (tmp_path / "a.txt").read_text() == "x"


def test_bad_code_argument_is_a_clear_error():
    with pytest.raises(TechpmError, match="string"):
        sandbox.run_python(42)


def test_mcp_server_lists_and_calls_the_same_tools(monkeypatch):
    pytest.importorskip("mcp")
    import io

    from techpm.agents import mcp_server, tools

    monkeypatch.setattr(sys, "stderr", io.StringIO())  # as in a notebook kernel: no file descriptor

    listing, outcomes = mcp_server.call_tools([
        ("wilson_interval", {"successes": 41, "n": 50}),
        ("run_python", {"code": "print(open('/etc/passwd').read())"}),
        ("save_note", {"filename": "x.txt", "text": "y"}),
    ])
    box = tools.default_toolbox(with_notes=False)
    assert [t.name for t in listing] == box.names()
    assert listing[0].input_schema == box.tools[listing[0].name].input_schema
    wilson, sandboxed, note = outcomes
    assert not wilson.is_error and json.loads(wilson.text)["result"] == list(calc.wilson_interval(41, 50))
    assert sandboxed.is_error and "blocked" in sandboxed.text
    assert note.is_error and "Unknown tool" in note.text  # side-effecting tools stay off the MCP surface


def test_mcp_requirement_matches_pyproject():
    from techpm.agents.mcp_server import MCP_REQUIREMENT
    from tests.conftest import ROOT

    assert f'"{MCP_REQUIREMENT}"' in (ROOT / "pyproject.toml").read_text()
