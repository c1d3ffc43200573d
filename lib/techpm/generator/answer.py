"""What the generator returns: an ``Answer`` of six Markdown sections, its sources and what it cost.

Both backends (Claude and the offline templates) build the same objects, so a notebook, the cache and
the rubric treat them alike. ``Answer.markdown`` is the full text: the question, the six sections in
order, the sources as links, and a footer that says which backend wrote it, with which model, how many
tokens and what it cost in US dollars.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Backend = Literal["claude", "offline"]


def format_usd(usd: float) -> str:
    """Dollars for people: four decimals, or the first two significant digits below a cent
    ($0.0209, $0.000035), so that a cheap call never reads as $0.0000."""
    if usd == 0:
        return "$0"
    if abs(usd) >= 0.01:
        return f"${usd:,.4f}"
    return f"${usd:.2g}" if "e" not in f"{usd:.2g}" else f"${usd:.8f}".rstrip("0")


@dataclass
class Section:
    """One of the method's six sections: its number (1-6), its title and its body in Markdown."""

    number: int
    title: str
    markdown: str

    def render(self) -> str:
        return f"## {self.number}. {self.title}\n\n{self.markdown.strip()}\n"


@dataclass
class Citation:
    """A source the answer relies on, shown as a Markdown link."""

    title: str
    url: str

    def link(self) -> str:
        title = self.title.replace("[", "(").replace("]", ")") or self.url
        return f"[{title}]({self.url})"


@dataclass
class Usage:
    """Tokens as the Messages API counts them (cached input counted apart), plus server-tool requests."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    web_search_requests: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(**{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__})

    @property
    def total_tokens(self) -> int:
        return (self.input_tokens + self.output_tokens + self.cache_creation_input_tokens
                + self.cache_read_input_tokens)

    def describe(self) -> str:
        parts = [f"{self.input_tokens:,} input", f"{self.output_tokens:,} output"]
        if self.cache_creation_input_tokens:
            parts.append(f"{self.cache_creation_input_tokens:,} cache-write")
        if self.cache_read_input_tokens:
            parts.append(f"{self.cache_read_input_tokens:,} cache-read")
        text = " + ".join(parts) + " tokens"
        if self.web_search_requests:
            text += f", {self.web_search_requests} web search{'es' if self.web_search_requests != 1 else ''}"
        return text


@dataclass
class Answer:
    """A six-section answer to ``question``.

    ``backend`` is "claude" or "offline"; ``model`` the Claude model id (None offline); ``notice`` a
    one-line reason when the answer is not what was asked for (e.g. the offline answer after an API error)
    or when it came from the disk cache."""

    question: str
    sections: list[Section]
    backend: Backend
    model: str | None = None
    citations: list[Citation] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    notice: str | None = None
    tools_used: list[str] = field(default_factory=list)  # calculators Claude called, in order
    estimated_cost_usd: float | None = None  # the estimate made before the first paid request
    cache_savings_usd: float = 0.0  # what prompt-cache reads saved against the full input price
    research: str | None = None  # a shortfall in research (too few searches, no citations), when there is one
    cached: bool = False

    # --- rendering -------------------------------------------------------------------------------
    def header(self) -> str:
        label = ("Offline generator (deterministic templates, no model call)" if self.backend == "offline"
                 else f"Claude ({self.model})")
        lines = [f"# {self.question.strip()}", "", f"*{label}*"]
        if self.notice:
            lines += ["", f"> {self.notice}"]
        return "\n".join(lines) + "\n"

    def sources_markdown(self) -> str:
        if not self.citations:
            return ""
        seen: set[str] = set()
        items = []
        for citation in self.citations:
            if citation.url in seen:
                continue
            seen.add(citation.url)
            items.append(f"{len(items) + 1}. {citation.link()}")
        return "## Sources\n\n" + "\n".join(items) + "\n"

    def footer(self) -> str:
        if self.backend == "offline":
            what = "Backend: offline generator (templates and the course's calculators; no model, no cost)"
        else:
            what = (f"Backend: Claude · model {self.model} · {self.usage.describe()} · "
                    f"cost {format_usd(self.cost_usd)}"
                    + (f" at prices as of {prices_date(self.model)}" if prices_date(self.model) else ""))
            if self.estimated_cost_usd is not None:
                what += f" (estimated at most {format_usd(self.estimated_cost_usd)} before the call)"
            if self.cache_savings_usd > 0:
                what += (f" · prompt caching saved {format_usd(self.cache_savings_usd)} "
                         f"({self.usage.cache_read_input_tokens:,} tokens read from the cache)")
            searches = self.usage.web_search_requests
            what += (f" · research: {searches} web search{'es' if searches != 1 else ''}, "
                     f"{len(self.citations)} cited source{'s' if len(self.citations) != 1 else ''}")
            if self.research:
                what += f" ({self.research})"
            if self.tools_used:
                counts = {name: self.tools_used.count(name) for name in dict.fromkeys(self.tools_used)}
                what += " · calculators: " + ", ".join(
                    f"{name}" + (f" x{n}" if n > 1 else "") for name, n in counts.items())
        if self.cached:
            what += " · from the disk cache (this re-run cost nothing)"
        return f"---\n*{what}*\n"

    @property
    def markdown(self) -> str:
        """The whole answer as Markdown: header, six sections, sources, footer."""
        parts = [self.header(), *(s.render() for s in sorted(self.sections, key=lambda s: s.number))]
        sources = self.sources_markdown()
        if sources:
            parts.append(sources)
        parts.append(self.footer())
        return "\n".join(parts)

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown

    # --- the cache's format -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("cached")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """The answer from ``to_dict``'s form, every field checked (``ValueError`` names a bad one)."""
        from techpm.generator.cache import answer_from_data

        return answer_from_data(data)


def prices_date(model: str | None) -> str | None:
    """The price table's ``as_of`` date for ``model`` (None for a model it does not price), so a reader
    knows how old a cost's prices are."""
    from techpm.tables import get_api_price

    try:
        return get_api_price(str(model)).as_of
    except ValueError:
        return None


class LiveDisplay:
    """Shows an answer as it is written: one Markdown display updated in place in a notebook
    (IPython ``display_id``), or the new text printed as it arrives in a terminal."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._handle: Any = None
        self._shown = ""
        self._notebook = enabled and _in_notebook()

    def update(self, markdown: str) -> None:
        if not self.enabled or markdown == self._shown:
            return
        if self._notebook:
            from IPython.display import Markdown, display

            if self._handle is None:
                self._handle = display(Markdown(markdown), display_id=True)
            else:
                self._handle.update(Markdown(markdown))
        elif markdown.startswith(self._shown):
            print(markdown[len(self._shown):], end="", flush=True)
        else:  # the text was rewritten (e.g. the offline answer after a failed stream): print it again
            print("\n" + markdown, end="", flush=True)
        self._shown = markdown

    def finish(self, answer: Answer) -> None:
        """Show the finished answer: in a notebook it replaces the live text; in a terminal, where the
        Claude text has streamed already, only what the end adds (notice, sources, footer) is printed."""
        if not self.enabled:
            return
        if self._notebook:
            self.update(answer.markdown)
            return
        if self._shown and answer.backend == "claude" and not answer.cached:
            tail = [f"> {answer.notice}\n" if answer.notice else "", answer.sources_markdown(), answer.footer()]
            print("\n\n" + "\n".join(part for part in tail if part), end="")
        else:
            print(("\n\n" if self._shown else "") + answer.markdown, end="")
        print(flush=True)
        self._shown = answer.markdown


def _in_notebook() -> bool:
    import sys

    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ != "TerminalInteractiveShell"
