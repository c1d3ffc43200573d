"""Which links in an answer count as sources.

A link counts when it could be a real source: an ``http(s)`` address on a real host (not a placeholder
domain reserved by RFC 2606 / RFC 6761 such as ``example.com``, ``a.example`` or ``*.test``), with a
path to a page (a bare domain points at no claim), and, for arXiv, an identifier that can exist
(``YYMM.NNNNN`` with a month from 01 to 12, no later than this month). The same address written twice
counts once (compared without ``www.``, a trailing slash, a query or a fragment).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Link", "read_links"]

_URL = re.compile(r"https?://[^\s)>\]\"'<|]{1,500}", re.I)
_PLACEHOLDER_TLDS = ("example", "test", "invalid", "localhost", "local")
_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")
_ARXIV = re.compile(r"/(?:abs|pdf)/(\d{2})(\d{2})\.\d{4,5}")


@dataclass(frozen=True)
class Link:
    url: str
    key: str            # the normalised address used to count duplicates once
    problem: str | None  # why it does not count, or None


def _problem(url: str) -> tuple[str, str | None]:
    try:
        parts = urlsplit(url.rstrip(".,;:"))
        host = (parts.hostname or "").lower()
    except ValueError:
        return url, "malformed address"
    host = host.removeprefix("www.")
    path = parts.path.rstrip("/")
    key = f"{host}{path}".lower()
    labels = host.split(".")
    if len(labels) < 2 or not re.fullmatch(r"[a-z]{2,24}", labels[-1]) or any(not lab for lab in labels):
        return key, "not a real host name"
    if labels[-1] in _PLACEHOLDER_TLDS or any(host == d or host.endswith("." + d) for d in _PLACEHOLDER_DOMAINS):
        return key, "a placeholder domain"
    if not path:
        return key, "a bare domain, no page"
    arxiv = _ARXIV.search(path) if host.endswith("arxiv.org") else None
    if arxiv:
        yy, mm = int(arxiv.group(1)), int(arxiv.group(2))
        today = _dt.date.today()
        if not 1 <= mm <= 12 or (2000 + yy, mm) > (today.year, today.month) or (yy, mm) < (7, 4):
            return key, "an arXiv identifier that cannot exist"
    return key, None


def read_links(text: str) -> list[Link]:
    """Every link in ``text``, in order, each with the reason it does not count (None when it does)."""
    out = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        key, problem = _problem(url)
        out.append(Link(url, key, problem))
    return out
