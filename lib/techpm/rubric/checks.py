"""The nine checks, one per rubric point (``method.RUBRIC``): each returns (score, evidence, suggestion).

Every check reads only the sentences that say something (``Doc.counted``: not keyword lists, filler or
repeats), so a term earns credit where it is used, not where it is named. Scores are 1 (clearly there),
0.5 (partly) or 0 (missing); the evidence quotes the sentence that earned the score, or says what is
missing, and the suggestion names what this answer lacks (never a part it already has). When the
question is known (``Doc.fit``), scoping, design and users are scored on fit to *this* question, and an
answer to a different question keeps at most half of the other content points.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from techpm.method import EXPECTED_WORDS, SECTIONS
from techpm.rubric import vocab
from techpm.rubric.fit import Fit
from techpm.rubric.links import read_links
from techpm.rubric.numbers import computations
from techpm.rubric.text import Doc, blocks, in_order

__all__ = ["CHECKS", "Check", "opening_questions"]

Check = Callable[[Doc], tuple[float, str, str]]
Result = tuple[float, str, str]


def _quote(sentence: str, limit: int = 220) -> str:
    sentence = re.sub(r"\s*<https?://[^>\s]{1,500}>", "", sentence).strip()
    return f"\"{sentence[:limit - 1]}…\"" if len(sentence) > limit else f"\"{sentence}\""


def _names(found: dict[str, list[int]], doc: Doc | None = None) -> list[str]:
    """What each found pattern matched, as written (the first occurrence), or a readable form of it."""
    out = []
    for p, where in found.items():
        m = re.search(p, doc.lower[where[0]]) if doc is not None and where else None
        out.append(m.group(0) if m else p.split("|")[0].replace("\\b", "").replace("(?:", "").strip("\\"))
    return list(dict.fromkeys(out))


def _fit_cap(doc: Doc, result: Result, *, off: float, partial: float) -> Result:
    """Cap a content point by the answer's fit to the question: ``off`` and ``partial`` are the caps."""
    fit = doc.fit
    if not isinstance(fit, Fit):
        return result
    cap = {"off": off, "partial": partial}.get(fit.verdict, 1.0)
    score, evidence, suggestion = result
    if score <= cap:
        return result
    gaps = fit.gaps()
    return cap, f"{fit.summary()} Best sentence: {evidence}", (
        "Answer the question asked" + (f": address {gaps}" if gaps else "") + ", and drop what belongs to another problem.")


# --- 1. scoping --------------------------------------------------------------------------------------

_SCOPE_TOPICS = {"scale": r"\busers?\b|how many|qps|per second|requests?|traffic|peak|scale|volume|how often",
                 "latency": r"latenc|fast|time to|wait|how long|seconds?",
                 "data": r"\bdata\b|corpus|documents?|privacy|retention|\bpii\b|permission|access|label",
                 "budget": r"budget|cost|spend|\$|price",
                 "integration": r"integrat|plug|existing|systems? hold|where (?:should|must)",
                 "infrastructure": r"cloud|on[- ]prem|infrastructure|gpu|region|vpc|own gpus|rent"}
_ASSUME = r"\bassum|\bi(?:'ll| will) design|design (?:for|to)|\bgiven\b|the question (?:says|states)"


def opening_questions(doc: Doc) -> tuple[list[int], set[str]]:
    """The scoping questions at the start (sentence indices) and the topics they cover (scale, latency,
    data, budget, integration, infrastructure)."""
    opening = [i for i in doc.opening if doc.kinds[i] != "repeat"]
    questions = [i for i in opening if doc.sentences[i].rstrip().endswith("?")]
    return questions, {t for t, p in _SCOPE_TOPICS.items() if any(re.search(p, doc.lower[i]) for i in questions)}


def scoping(doc: Doc) -> Result:
    opening = [i for i in doc.opening if doc.kinds[i] != "repeat"]
    questions, topics = opening_questions(doc)
    assumes = [i for i in opening if re.search(_ASSUME, doc.lower[i])]
    numeric = [i for i in assumes + opening if doc.unit_numbers(i) and i not in questions]
    fit = doc.fit if isinstance(doc.fit, Fit) else None
    missing_topics = [t for t in ("scale", "latency", "data", "budget") if t not in topics]
    if len(questions) >= 3 and len(topics) >= 2 and numeric:
        result: Result = (1.0, _quote(doc.sentences[questions[0]]),
                          "Good scoping: each later number should trace back to one of these assumptions.")
    elif questions or assumes or numeric:
        advice = []
        if len(questions) < 3:
            advice.append(f"ask at least three scoping questions (now {len(questions)})")
        if missing_topics and len(topics) < 2:
            advice.append("cover " + ", ".join(missing_topics) + " in them")
        if not numeric:
            advice.append("then state the assumptions you design to, with numbers (users, requests per second, "
                          "latency target, budget)")
        first = (questions or assumes or numeric)[0]
        result = (0.5, _quote(doc.sentences[first]), "Scope before designing: " + "; ".join(advice) + ".")
    else:
        result = (0.0, "No scoping questions or stated assumptions at the start.", (
            "Begin with three to five questions: how many users and requests per second at peak, what latency, "
            "what data exists and what rules apply to it, and what budget; then state your assumptions."))
    if fit is not None and fit.missing_numbers and (fit.numbers_share or 0) < 0.5 and result[0] > 0.5:
        result = (0.5, result[1], "Design to the numbers the question gives: restate "
                  + ", ".join(fit.missing_numbers[:3]) + " in your assumptions.")
    return _fit_cap(doc, result, off=0.0, partial=0.5)


# --- 2. design -----------------------------------------------------------------------------------------

_ARROWS = re.compile(r"-->|->|→|=>")


_BOX = re.compile(r"[\[\](){}*`]")


def _path_boxes(doc: Doc) -> set[str]:
    """The boxes of the request paths the answer draws ("A -> B -> C", in prose or a diagram): each named
    step counts as a component, whatever the domain's vocabulary."""
    boxes: set[str] = set()
    for line in doc.text.splitlines()[:2_000]:
        parts = _ARROWS.split(line[:2_000])
        if len(parts) < 3:
            continue
        for part in parts:
            words = _BOX.sub(" ", part).lower().split()[-4:]
            if any(w.isalpha() and len(w) > 2 for w in words):
                boxes.add(" ".join(words))
    return boxes


def _numbered_stages(text: str) -> bool:
    """A paragraph that walks through stages (1), (2), (3) in order: a flow written as prose."""
    for block in blocks(text):
        one = block.find("(1)")
        two = block.find("(2)", one) if one >= 0 else -1
        if two >= 0 and block.find("(3)", two) >= 0:
            return True
    return False


def design(doc: Doc) -> Result:
    components = doc.found(vocab.COMPONENTS)
    for box in sorted(_path_boxes(doc)):
        components.setdefault(re.escape(box), [])
    production = doc.found(vocab.PRODUCTION)
    # a request path: arrows (a diagram or "A -> B"), or one sentence that takes a request through three
    # or more components in sequence
    in_sequence = [i for i in doc.hits(vocab.FLOW) & set(doc.counted)
                   if sum(i in w for w in components.values()) >= 3]
    flow = bool(_ARROWS.search(doc.text)) or bool(in_sequence) or _numbered_stages(doc.text)
    need = 4 if doc.target_words or doc.words < 800 else 6
    drawn = [i for i in doc.counted if len(_ARROWS.findall(doc.sentences[i])) >= 2]
    best = drawn[0] if drawn else max(doc.counted, key=lambda i: sum(i in w for w in components.values()),
                                      default=None)
    evidence = _quote(doc.sentences[best]) if best is not None and components else ""
    if len(components) >= need and production and flow:
        result: Result = (1.0, evidence, "Coherent and production-aware; give each box an owner and a failure mode.")
    elif len(components) >= 3:
        advice = []
        if len(components) < need:
            advice.append(f"name more of the boxes (found {len(components)}: {', '.join(_names(components, doc)[:6])})")
        if not flow:
            advice.append("draw the request path from input to output (A -> B -> C)")
        if not production:
            advice.append("add a production concern: what happens on failure (fallbacks, retries), how you monitor "
                          "it, or how you roll out changes")
        result = (0.5, evidence, "To complete the design, " + "; ".join(advice) + ".")
    else:
        found = ", ".join(_names(components, doc)) or "none"
        result = (0.0, f"Few concrete components are described in sentences that say something (found: {found}).", (
            "Name the boxes of the architecture and the path a request takes through them: input, preprocessing, "
            "retrieval or tools, model, postprocessing, storage, serving."))
    fit = doc.fit if isinstance(doc.fit, Fit) else None
    if fit is not None and fit.concepts_share is not None and fit.concepts_share < 0.34 and result[0] > 0.5:
        result = (0.5, result[1], "The design leaves out what this question needs: " + ", ".join(
            fit.missing_concepts[:5]) + ".")
    return _fit_cap(doc, result, off=0.0, partial=0.5)


# --- 3. the triangle -------------------------------------------------------------------------------------

def triangle(doc: Doc) -> Result:
    counted = set(doc.counted)
    corners = {name: doc.hits(p) & counted for name, p in vocab.CORNERS.items()}
    levers = doc.found(vocab.LEVERS)
    lever_at = set().union(*levers.values()) if levers else set()
    trades = [i for i in sorted(doc.hits(vocab.TRADE) & counted)
              if sum(i in c for c in corners.values()) >= 2 or (i in lever_at and any(i in c for c in corners.values()))]
    applied = [i for i in trades if sum(i in c for c in corners.values()) >= 3
               or ((i in lever_at or doc.unit_numbers(i)) and sum(i in c for c in corners.values()) >= 2)]
    missing = [n for n, c in corners.items() if not c]
    applied.sort(key=lambda i: (-len(doc.unit_numbers(i)), -sum(i in c for c in corners.values())))
    sized = [i for i in applied if doc.unit_numbers(i)]   # a trade-off for this system carries its numbers
    if not missing and len(levers) >= 2 and sized:
        result: Result = (1.0, _quote(doc.sentences[applied[0]]),
                          "Deep; make sure each lever carries a number for what it buys and what it costs.")
    elif len(corners) - len(missing) >= 2 and (levers or trades):
        advice = []
        if missing:
            advice.append("bring in the missing corner" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing))
        if len(levers) < 2:
            advice.append("name the levers you would pull (streaming, caching, batching, routing to a small model, "
                          "quantization, reranking)")
        if not sized:
            advice.append(("put numbers on the trade-off you describe" if applied else
                           "for one choice in this design, say what it buys on one corner and what it costs on "
                           "another") + ", with a number ('reranking adds 150 ms and lifts recall')")
        best = (applied or trades or sorted(lever_at))[0]
        result = (0.5, _quote(doc.sentences[best]), "; ".join(advice).capitalize() + ".")
    else:
        result = (0.0, "The latency-cost-quality trade-off is not discussed in sentences that say something.", (
            "Add a paragraph on the triangle for this design: which choices lower latency, which lower cost, "
            "which raise quality, and what each gives up, with numbers."))
    return _fit_cap(doc, result, off=0.5, partial=1.0)


# --- 4. depth: a mechanism described in order ---------------------------------------------------------------

_FAMILY_OF_FACET = (("rag", "RAG"), ("retriev", "RAG"), ("search", "RAG"), ("eval", "evals"), ("rlhf", "RLHF"),
                    ("fine", "RLHF"), ("prefer", "RLHF"), ("serv", "inference"), ("infer", "inference"),
                    ("gpu", "inference"), ("agent", "agents"), ("tool", "agents"))


def _chain(doc: Doc, stages: tuple[tuple[str, str], ...]) -> tuple[list[int], list[int]]:
    """The longest run of stages described in the mechanism's order, over every mention of each stage in
    the substantive sentences: (stage numbers, the sentence of each). Dynamic programming over mentions in
    text order, so the cost is linear in the mentions."""
    counted = set(doc.counted)
    mentions = sorted((i, k) for k, (_, pattern) in enumerate(stages) for i in doc.hits(pattern) & counted)
    best: dict[int, list[tuple[int, int]]] = {}        # stage -> the longest run ending at that stage so far
    for i, k in mentions:
        prev = max((best[j] for j in best if j < k and best[j][-1][1] <= i), key=len, default=[])
        run = prev + [(k, i)]
        if len(run) > len(best.get(k, [])):
            best[k] = run
    longest = max(best.values(), key=len, default=[])
    return [k for k, _ in longest], [i for _, i in longest]


def _covered(doc: Doc, stages: tuple[tuple[str, str], ...]) -> tuple[list[int], list[int]]:
    """The stages described anywhere in the substantive sentences, in the order given."""
    counted = set(doc.counted)
    found = [(k, min(doc.hits(p) & counted)) for k, (_, p) in enumerate(stages) if doc.hits(p) & counted]
    return [k for k, _ in found], [i for _, i in found]


def _facet_mechanism(groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((g[0], "|".join(re.escape(p) for p in g)) for g in groups)


def depth(doc: Doc) -> Result:
    mechanisms = dict(vocab.MECHANISMS)
    families = list(mechanisms)
    ordered = set(families)
    fit = doc.fit if isinstance(doc.fit, Fit) else None
    if fit is not None:
        wanted = [fam for f in fit.facets for key, fam in _FAMILY_OF_FACET if key in f.lower()]
        # a facet the method's five mechanisms do not cover (speech, vision...) brings its own concept
        # groups as the steps to explain; their order is not fixed, so any order counts
        own = {f: _facet_mechanism(g) for f, g in fit.facet_groups.items()
               if g and not any(key in f.lower() for key, _ in _FAMILY_OF_FACET)}
        mechanisms.update(own)
        families = list(dict.fromkeys(wanted + list(own))) or families
    chains = {name: _chain(doc, mechanisms[name]) if name in ordered else _covered(doc, mechanisms[name])
              for name in families}
    name = max(chains, key=lambda n: (len(chains[n][0]), n == families[0]))
    stages, where = chains[name]
    if len(stages) < 2:
        name, stages, where = families[0], *chains[families[0]]   # nothing explained: advise the question's own
    spec = mechanisms[name]
    # concrete: sizes and choices, not only names, in at least two sentences about the mechanism's steps
    about = set().union(*(doc.hits(p) for _, p in spec)) & set(doc.counted)
    concrete = len({q.text.lower() for i in about for q in doc.numbers[i]}) >= 3
    need = 3 if doc.target_words else 4
    steps = " -> ".join(spec[k][0] for k in stages)
    missing = [spec[k][0] for k in range(len(spec)) if k not in stages]
    if len(stages) >= need and concrete:
        example = max(where, key=lambda i: sum(bool(re.search(p, doc.lower[i])) for _, p in spec))
        result: Result = (1.0, f"{name}, in order: {steps}. For example {_quote(doc.sentences[example])}",
                          f"Explains {name} step by step; tie each step to how you would measure it.")
    elif len(stages) >= 2:
        advice = []
        if len(stages) < need:
            advice.append(f"walk through {name} in the order it happens, adding: " + "; ".join(missing[:3]))
        if not concrete:
            advice.append("make the steps concrete with the choices and their sizes (chunk size, top-k, "
                          "set size, batch size, step budget)")
        result = (0.5, f"{name}, in order: {steps}.", "Go one level deeper: " + "; ".join(advice) + ".")
    else:
        result = (0.0, "No mechanism (retrieval, evals, RLHF, serving, the agent loop) is explained step by step.", (
            f"Explain the mechanism at the heart of the question in the order it happens (for {name}: "
            + " -> ".join(s for s, _ in spec) + "), instead of naming it."))
    return _fit_cap(doc, result, off=0.5, partial=1.0)


# --- 5. what is hard -------------------------------------------------------------------------------------------

def hard_parts(doc: Doc) -> Result:
    counted = doc.counted
    # a problem is named in a sentence that says something, or as a short label ("**Safety.**") whose
    # paragraph then answers it
    named = set(counted) | {i for i, k in enumerate(doc.kinds) if k == "thin"}
    problems = doc.found(vocab.HARD, within=named)
    responded = {doc.blocks[i] for p in vocab.RESPONSES for i in doc.hits(p) if i in set(counted)}
    answered = {p: [i for i in where if doc.blocks[i] in responded] for p, where in problems.items()}
    done = [p for p, where in answered.items() if where]
    open_ = [p for p in problems if p not in done]
    if len(done) >= 2:
        best = answered[done[0]][0]
        result: Result = (1.0, _quote(doc.sentences[best]), "Aware of the hard parts; give each a metric with a "
                                                           "target in the metrics section.")
    elif problems:
        first = (answered[done[0]] if done else problems[next(iter(problems))])[0]
        if open_:
            advice = ("Say how you would detect, reduce and measure "
                      + ", ".join(_names({p: problems[p] for p in open_}, doc)[:4]) + ".")
        else:
            advice = ("Name a second hard problem of this system (hallucination, evaluation, safety, abuse, privacy) "
                      "and how you would detect, reduce and measure it.")
        result = (0.5, _quote(doc.sentences[first]), advice)
    else:
        result = (0.0, "No hard problem (hallucination, evaluation, safety, abuse) is named where it is discussed.", (
            "Add a short 'what is hard' part: hallucination, evaluation and safety, each with detection, "
            "mitigation and a measurement."))
    return _fit_cap(doc, result, off=0.5, partial=1.0)


# --- 6. quantitative -------------------------------------------------------------------------------------------------

_CODE = re.compile(r"`([^`\n]{1,300})`")
_DERIVED = (r"\bso (?:we|it|that|the)\b|\bthat is\b|\bwhich is\b|\bgives?\b|\bneeds?\b|\bmeans\b|works out|"
            r"comes to|\bin total\b|\bhas a\b.{0,60}\bmargin|\bbrings?\b|\bcuts?\b.{0,60}\bto\b")


def quantitative(doc: Doc) -> Result:
    counted = doc.counted
    designed = set().union(*(doc.hits(p) for p in vocab.ALL_TERMS)) & set(counted)
    tied = {q.text.lower() for i in designed for q in doc.unit_numbers(i)}
    stated = [c for i in counted for c in computations(doc.sentences[i])]
    stated += [c for m in _CODE.finditer(doc.text) for c in computations(m.group(1))]
    stated = list({c.text: c for c in stated}.values())       # a computation quoted twice counts once
    wrong = [c for c in stated if not c.ok]
    right = [c for c in stated if c.ok and c.has_units]
    need = 5 if doc.target_words or doc.words < 800 else 8
    best = max(counted, key=lambda i: len(doc.unit_numbers(i)), default=None)
    # numbers derived in words ("a 95% margin of about 5 points needs 400 items", "so we need 1,000 nodes")
    derived = [i for i in sorted(doc.hits(_DERIVED) & designed) if len(doc.unit_numbers(i)) >= 2]
    if wrong:
        result: Result = (0.5, "Check the arithmetic: " + "; ".join(c.describe() for c in wrong[:2]) + ".", (
            "Fix the computation" + ("s" if len(wrong) > 1 else "") + " quoted in the evidence (the course's "
            "calculators in techpm.calc do the arithmetic), and keep each result next to its inputs."))
        if len(tied) < 3:
            result = (0.0, result[1], result[2])
    elif len(tied) >= need and (right or len(derived) >= 2):
        shown = f'"{right[0].text}" (checked)' if right else _quote(doc.sentences[derived[0]])
        result = (1.0, f"{shown} among {len(tied)} numbers tied to the design.",
                  "Quantitative; keep each number's assumption next to it.")
    elif len(tied) >= 3 or right:
        advice = []
        if len(tied) < need:
            advice.append(f"size more of the design with numbers and units next to the part they size "
                          f"(now {len(tied)})")
        if not right and len(derived) < 2:
            advice.append("show how one number was derived from your assumptions "
                          "(requests x tokens x price = dollars; requests in flight / batch = GPUs)")
        evidence = _quote(doc.sentences[best]) if best is not None and doc.unit_numbers(best) else (
            f'"{right[0].text}"' if right else "")
        result = (0.5, evidence, "Put numbers on the trade-offs: " + "; ".join(advice) + ".")
    else:
        lone = [c for c in stated if c.ok]
        what = f'a lone formula ("{lone[0].text}") with no unit or design element' if lone else \
            f"{len(tied)} numbers with units next to a design element"
        result = (0.0, f"Only {what}.", (
            "Replace 'faster' and 'cheaper' with numbers: tokens per request, dollars per month, milliseconds to "
            "first token, gigabytes of memory, each derived from your assumptions."))
    fit = doc.fit if isinstance(doc.fit, Fit) else None
    if fit is not None and fit.missing_numbers and fit.numbers_share == 0 and result[0] > 0.5:
        result = (0.5, result[1], "Your numbers are not this question's: start from "
                  + ", ".join(fit.missing_numbers[:3]) + ".")
    return _fit_cap(doc, result, off=0.5, partial=1.0)


# --- 7. users and the product ------------------------------------------------------------------------------------------

_GENERIC_USER_WORDS = {"team", "teams", "members", "member", "users", "user", "people", "person", "staff", "their",
                       "with", "from", "each", "every"}


def product(doc: Doc) -> Result:
    counted = set(doc.counted)
    fit = doc.fit if isinstance(doc.fit, Fit) else None
    # the question's own users, word by word ("insurance claims team members" -> insuranc, claims): an answer
    # that speaks of "the claims handlers" names them
    named = tuple(dict.fromkeys(re.escape(w[:8]) for u in (fit.users if fit else ())
                                for w in re.findall(r"[a-z]{4,}", u.lower()) if w not in _GENERIC_USER_WORDS))
    users = doc.found(vocab.USERS + named)
    user_at = set().union(*users.values()) if users else set()
    why = set().union(*(doc.hits(p) for p in vocab.OUTCOMES)) | doc.hits(vocab.REASONS)
    links = sorted(user_at & why & doc.hits(vocab.TECH) & counted)
    if len(links) >= 2 and len(users) >= 2:
        result: Result = (1.0, _quote(doc.sentences[links[0]]),
                          "Ties choices to users; name the user in each trade-off you recommend.")
    elif links or users:
        advice = []
        if len(users) < 2:
            advice.append("name who builds on it and who uses the output")
        if len(links) < 2:
            advice.append("tie " + ("another" if links else "a") + " technical choice to what those users "
                          "experience or need (waiting time, trust in the answer, price), saying why")
        evidence = _quote(doc.sentences[links[0] if links else min(user_at)])
        result = (0.5, evidence, "Connect the design to its users: " + "; ".join(advice) + ".")
    else:
        result = (0.0, "The answer does not say who the users are or what the choices mean for them.", (
            "Add the users (developers and end users, their workflow and frustrations) and connect the design "
            "to them: 'streaming matters because lawyers read while it writes'."))
    if fit is not None and not fit.users_named and result[0] > 0.5:
        result = (0.5, result[1], "Name this question's users (" + ", ".join(fit.users[:3]) + ") and tie the design "
                  "to what they need.")
    return _fit_cap(doc, result, off=0.0, partial=0.5)


# --- 8. structure -----------------------------------------------------------------------------------------------------------

def structure(doc: Doc) -> Result:
    got = in_order(doc.sections)
    target = doc.target_words or EXPECTED_WORDS
    # the band applies to the words that count (headings, diagrams and questions aside, about 85% of a
    # specific answer): 0.5 to 1.6 times the method's length, or two thirds to four thirds of a timed target
    low, high = (int(target * 2 / 3), int(target * 4 / 3)) if doc.target_words else (int(target * 0.5),
                                                                                      int(target * 1.6))
    length = doc.substantive_words
    length_ok = low <= length <= high and doc.words <= high * 2   # a paste past the reading limit is too long
    padding = 1 - doc.share("substance") - doc.share("thin")
    titles = [SECTIONS[n - 1].title for n in range(1, 7) if n not in got]
    evidence = (f"Sections found in order: {', '.join(str(n) for n in got) or 'none'}; {length:,} words that "
                f"count of {doc.words:,} (aim: {low:,}-{high:,}).")
    if padding > 0.3:
        evidence += f" {padding:.0%} of the text is repeated, filler or lists of terms."
    advice = []
    if titles:
        advice.append("add or reorder headings for: " + "; ".join(titles))
    if not length_ok:
        advice.append(f"aim for {low:,}-{high:,} words of specific content (now {length:,} count)")
    if padding > 0.3:
        advice.append("cut the repeated sentences, filler and term lists: they add length, not content")
    if len(got) == 6 and length_ok and padding <= 0.3:
        return 1.0, evidence, "Complete and in order."
    score = 0.5 if (len(got) >= 4 or (len(got) >= 2 and length_ok)) else 0.0
    if doc.target_words:   # spoken: parts are announced, not typed as headings
        return score, evidence, "Cover the six parts in order, naming each as you start it: " + "; ".join(
            a.replace("add or reorder headings for", "add or reorder") for a in advice) + "."
    return score, evidence, "Use the six sections as headings, in order: " + "; ".join(advice) + "."


# --- 9. sources ----------------------------------------------------------------------------------------------------------------

_URLS = re.compile(r"<?https?://[^\s>)]{1,500}>?")
_SOURCES_HEADING = re.compile(r"\s*(?:#+\s*|\*\*)(?:sources|references|bibliography|further reading)\b|"
                              r"\s*(?:sources|references|bibliography|further reading)\s*:", re.I)


def _sources_cut(text: str) -> int:
    """Where a closing list of sources starts (a "Sources" heading or label outside code), or the end."""
    pos, in_code = 0, False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        elif not in_code and _SOURCES_HEADING.match(line):
            return pos
        pos += len(line)
    return len(text)


def sources(doc: Doc) -> Result:
    links = read_links(doc.text)
    good = {lk.key: lk for lk in links if lk.problem is None}
    bad = {lk.key: lk for lk in links if lk.problem is not None}
    body = doc.text[: _sources_cut(doc.text)]
    # a link is inline when the paragraph or list item holding it makes a claim (a dozen words besides links)
    inline = {lk.key for block in blocks(body) if len(_URLS.sub("", block).split()) >= 12
              for lk in read_links(block) if lk.problem is None}
    dropped = ""
    if bad:
        dropped = " Not counted: " + "; ".join(f"{lk.url} ({lk.problem})" for lk in list(bad.values())[:3]) + "."
    with_link = next((s for s in doc.sentences if any(lk.url in s for lk in good.values()) and len(s) > 60), "")
    if len(good) >= 3 and len(inline) >= 2:
        return 1.0, _quote(with_link) + dropped, "Well sourced; prefer primary sources (papers, docs) over summaries."
    if good:
        advice = []
        if len(good) < 3:
            advice.append(f"cite more real sources (now {len(good)} distinct)")
        if len(inline) < 2:
            advice.append("put the links next to the claims they support, not only in a list at the end")
        evidence = (_quote(with_link) if with_link else f"{len(good)} real link(s).") + dropped
        return 0.5, evidence, "Strengthen the sources: " + "; ".join(advice) + "."
    return 0.0, ("No real sources are cited." + dropped).strip(), (
        "Cite where claims come from: link the paper, benchmark or documentation (a page, not a bare domain "
        "or a placeholder) next to each design decision and number that relies on it.")


CHECKS: dict[str, Check] = {"scoping": scoping, "design": design, "triangle": triangle, "depth": depth,
                            "hard_parts": hard_parts, "quantitative": quantitative, "product": product,
                            "structure": structure, "sources": sources}
