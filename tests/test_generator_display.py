"""How an answer is shown: in a real Jupyter kernel (one Markdown display, updated in place while the
answer streams) and from the ``techpm answer`` / ``techpm grade`` commands."""

from __future__ import annotations

import dataclasses
import os

import pytest

from techpm import config
from techpm.cli import main
from tests.fake_anthropic import FakeAnthropic, message, six_section_text, text_block, web_citation

FAKE_KEY = "sk-ant-api03-FAKE-display-test-0123456789abcdef"


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(
        config.SETTINGS, offline=False, claude_model="claude-haiku-5-5", cache_dir=tmp_path / "cache"))
    with FakeAnthropic(valid_key=FAKE_KEY) as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        monkeypatch.setenv("TECHPM_CACHE_DIR", str(tmp_path / "cache"))
        yield fake


def test_in_a_notebook_the_answer_streams_into_one_markdown_display(server, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    server.queue(message([text_block(six_section_text("Streaming text. " * 30)),
                          text_block(" See the paper.", [web_citation("https://arxiv.org/abs/2005.11401", "RAG")])]))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import techpm\nanswer = techpm.generate('Design a RAG system for contracts', backend='claude')")]
    updates: list[dict] = []
    client = NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    original = client.process_message

    def record(msg, cell, cell_index):  # every message the kernel sent for the cell, in order
        updates.append({"type": msg["msg_type"], "content": msg["content"]})
        return original(msg, cell, cell_index)

    client.process_message = record
    client.execute(env={**os.environ})
    kinds = [u["type"] for u in updates if u["type"] in ("display_data", "update_display_data", "stream")]
    assert kinds[0] == "display_data" and kinds.count("display_data") == 1  # one display...
    assert kinds.count("update_display_data") >= 6  # ...updated as each section arrived
    assert "stream" not in kinds  # nothing printed beside it
    (output,) = nb.cells[0].outputs
    final = output["data"]["text/markdown"]
    assert "## 6. Metrics" in final and "[RAG](https://arxiv.org/abs/2005.11401)" in final
    assert "Backend: Claude" in final and FAKE_KEY not in str(nb)


def test_techpm_answer_streams_and_writes_markdown(server, tmp_path, capsys):
    out = tmp_path / "answers" / "rag.md"
    assert main(["answer", "Design a RAG system for contracts", "--backend", "claude", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    text = out.read_text()
    assert text.startswith("# Design a RAG system for contracts") and "## 6. Metrics" in text
    assert "Body of section 3" in printed.out and f"wrote {out}" in printed.err
    assert FAKE_KEY not in printed.out + printed.err + text


def test_techpm_grade_prints_the_rubric_report(tmp_path, capsys):
    rubric = pytest.importorskip("techpm.rubric")
    path = tmp_path / "mine.md"
    text = "## 1. Technical clarifications and constraints\n\nWhat scale? How many users?\n"
    path.write_text(text)
    assert main(["grade", str(path)]) == 0
    printed = capsys.readouterr().out
    assert printed.strip() == rubric.grade(text).markdown().strip()
    assert all(p.title in printed for p in rubric.grade(text).points)
    assert main(["grade", str(tmp_path / "missing.md")]) == 2


def test_techpm_grade_judge_asks_claude_for_all_nine_points(server, tmp_path, capsys):
    from techpm.generator import client as claude_client
    from techpm.method import RUBRIC

    scores = [{"id": p.id, "score": 0.5, "evidence": f"evidence {p.id}", "suggestion": f"do {p.id}"} for p in RUBRIC]
    server.queue(message([{"type": "tool_use", "id": "toolu_j", "name": claude_client.JUDGE_TOOL,
                           "input": {"scores": scores}}], stop_reason="tool_use"))
    path = tmp_path / "mine.md"
    path.write_text("## 1. Technical clarifications and constraints\n\nWhat scale?\n")
    assert main(["grade", str(path), "--judge"]) == 0
    printed = capsys.readouterr().out
    assert "judge (claude-haiku-5-5): 50/100" in printed  # nine half points
    (body,) = [r.body for r in server.messages_requests()]
    sent_ids = body["tools"][0]["input_schema"]["properties"]["scores"]["items"]["properties"]["id"]["enum"]
    assert sent_ids == [p.id for p in RUBRIC]
