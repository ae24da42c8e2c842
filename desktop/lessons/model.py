"""Lessons as data: the ``Lesson`` object of a scenario file (docs/lessons.md), read into frozen dataclasses.

No Qt here: the lesson player, the exporter and the tests share this reader. A lesson is a normal PodPath
scenario (nodes, workloads, Services, Clients, Traffic, a Timeline) plus one ``podpath.dev/v1alpha1 Lesson``
object whose steps say where to pause, what to caption (Korean and English) and what to ask before revealing.
Field-level structure is checked by the scenario validator (core/scenario/kinds.py); this module adds the
rules that need the whole lesson: steps in time order, focus objects that exist, checks that name real Traffic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.scenario import Diagnostic, Document, ScenarioError, load_document
from core.scenario.kinds import object_ref

LANGUAGES = ("ko", "en")
LESSON_KIND = "Lesson"


@dataclass(frozen=True)
class Text:
    """A caption in both languages."""

    ko: str
    en: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


@dataclass(frozen=True)
class Range:
    lo: float | None = None
    hi: float | None = None

    def holds(self, value: float) -> bool:
        return (self.lo is None or value >= self.lo - 1e-9) and (self.hi is None or value <= self.hi + 1e-9)

    def describe(self) -> str:
        if self.lo is not None and self.hi is not None:
            return f"= {self.lo:g}" if self.lo == self.hi else f"in [{self.lo:g}, {self.hi:g}]"
        if self.lo is not None:
            return f">= {self.lo:g}"
        if self.hi is not None:
            return f"<= {self.hi:g}"
        return "any"


@dataclass(frozen=True)
class Check:
    """A fact the lesson states, checked against a headless run of the scenario: over simulated time
    [t0, t1), with only the named Traffic running (all of it when empty)."""

    t0: float
    t1: float
    traffic: tuple[str, ...] = ()
    delivered: Range | None = None
    dropped: dict[str, Range] = field(default_factory=dict)
    nodes: dict[str, Range] = field(default_factory=dict)  # delivered per node of the answering pod
    ips: dict[str, Range] = field(default_factory=dict)  # delivered per answering pod IP
    endpoints: Range | None = None  # how many distinct pods answered
    spread: Range | None = None  # max - min of the answering pods' counts
    latency_p50: Range | None = None  # milliseconds


@dataclass(frozen=True)
class Predict:
    question: Text
    answer: Text
    choices: tuple[Text, ...] = ()
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Step:
    until: float  # the player runs the simulation to this time, then waits
    caption: Text
    focus: tuple[str, ...] = ()  # object refs as "Kind/name" or "Kind/namespace/name"
    predict: Predict | None = None
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Cell:
    column: str
    value: str
    note: Text | None = None
    lesson: str = ""  # lesson name (metadata.name) that demonstrates this cell
    step: int = 0  # 1-based step in that lesson


@dataclass(frozen=True)
class Row:
    row: Text
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Lesson:
    name: str
    title: Text
    steps: tuple[Step, ...]
    summary: Text | None = None
    order: int = 0
    table: tuple[Row, ...] = ()
    path: Path | None = None

    def all_checks(self) -> list[tuple[int, str, Check]]:
        """(1-based step, "step" or "predict", check) for every check of the lesson."""
        out: list[tuple[int, str, Check]] = []
        for i, step in enumerate(self.steps, 1):
            out += [(i, "step", c) for c in step.checks]
            if step.predict:
                out += [(i, "predict", c) for c in step.predict.checks]
        return out


def _text(raw: object) -> Text | None:
    if not isinstance(raw, dict):
        return None
    return Text(str(raw.get("ko", "")), str(raw.get("en", "")))


def _range(raw: object) -> Range | None:
    if not isinstance(raw, dict):
        return None
    lo, hi = raw.get("min"), raw.get("max")
    return Range(None if lo is None else float(lo), None if hi is None else float(hi))


def _ranges(raw: object) -> dict[str, Range]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): r for k, v in raw.items() if (r := _range(v)) is not None}


def _check(raw: dict) -> Check:
    return Check(float(raw.get("from", 0)), float(raw.get("to", 0)), tuple(str(t) for t in raw.get("traffic") or ()),
                 _range(raw.get("delivered")), _ranges(raw.get("dropped")), _ranges(raw.get("nodes")),
                 _ranges(raw.get("ips")), _range(raw.get("endpoints")), _range(raw.get("spread")),
                 _range(raw.get("latencyP50")))


def lesson_from_raw(raw: dict, path: Path | None = None) -> Lesson:
    """The Lesson of a structurally valid raw ``Lesson`` object (validate the document first)."""
    spec = raw.get("spec") or {}
    steps = []
    for s in spec.get("steps") or []:
        pred = s.get("predict")
        predict = None
        if isinstance(pred, dict):
            predict = Predict(_text(pred.get("question")) or Text("", ""), _text(pred.get("answer")) or Text("", ""),
                              tuple(t for c in pred.get("choices") or () if (t := _text(c))),
                              tuple(_check(c) for c in pred.get("checks") or ()))
        steps.append(Step(float(s.get("until", 0)), _text(s.get("caption")) or Text("", ""),
                          tuple(str(f) for f in s.get("focus") or ()), predict,
                          tuple(_check(c) for c in s.get("checks") or ())))
    table = tuple(Row(_text(r.get("row")) or Text("", ""),
                      tuple(Cell(str(c.get("column", "")), str(c.get("value", "")), _text(c.get("note")),
                                 str(c.get("lesson", "")), int(c.get("step", 0))) for c in r.get("cells") or ()))
                  for r in spec.get("table") or ())
    meta = raw.get("metadata") or {}
    return Lesson(str(meta.get("name", "")), _text(spec.get("title")) or Text("", ""), tuple(steps),
                  _text(spec.get("summary")), int(spec.get("order", 0)), table, path)


def _find(doc: Document) -> list[tuple[int, dict]]:
    return [(i, raw) for i, raw in enumerate(doc) if raw.get("kind") == LESSON_KIND]


def lesson_problems(doc: Document, filename: str) -> list[Diagnostic]:
    """Whole-lesson rules the field schema cannot say (each a located error)."""
    out: list[Diagnostic] = []
    lessons = _find(doc)
    refs = {str(object_ref(raw)).strip() for raw in doc}
    traffic = {(raw.get("metadata") or {}).get("name") for raw in doc if raw.get("kind") == "Traffic"}

    def err(index: int, path: tuple, message: str, value: object = None) -> None:
        line, col = doc.mark_of(index, path)
        dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        out.append(Diagnostic("error", message, filename, line, col, f"Lesson {lessons[0][1]['metadata']['name']}",
                              dotted, value))

    if len(lessons) > 1:
        index = lessons[1][0]
        err(index, ("kind",), f"a lesson file holds one Lesson object; found {len(lessons)}")
    for index, raw in lessons[:1]:
        steps = (raw.get("spec") or {}).get("steps") or []
        if not steps:
            err(index, ("spec", "steps"), "Required value: a lesson needs at least one step")
        last = 0.0
        for i, s in enumerate(steps):
            if not isinstance(s, dict):
                continue
            until = s.get("until")
            if isinstance(until, (int, float)) and not isinstance(until, bool):
                if until < last:
                    err(index, ("spec", "steps", i, "until"), f"Invalid value: {until}: steps must be in time "
                        f"order; the step before ends at {last:g} s", until)
                last = max(last, float(until))
            for j, f in enumerate(s.get("focus") or []):
                if _focus_ref(str(f)) not in refs:
                    err(index, ("spec", "steps", i, "focus", j), f'Invalid value: "{f}": no such object in this '
                        'file (write Kind/name or Kind/namespace/name, e.g. "Node/node-2", "Service/default/web")',
                        f)
            checks = [("checks", k, c) for k, c in enumerate(s.get("checks") or [])]
            pred = s.get("predict")
            if isinstance(pred, dict):
                checks += [("predict", k, c) for k, c in enumerate(pred.get("checks") or [])]
            for where, k, c in checks:
                if not isinstance(c, dict):
                    continue
                base = ("spec", "steps", i, "checks", k) if where == "checks" else (
                    "spec", "steps", i, "predict", "checks", k)
                t0, t1 = c.get("from"), c.get("to")
                if isinstance(t0, (int, float)) and isinstance(t1, (int, float)) and not t1 > t0:
                    err(index, (*base, "to"), f"Invalid value: {t1}: must be later than from ({t0})", t1)
                for m, name in enumerate(c.get("traffic") or []):
                    if name not in traffic:
                        known = ", ".join(sorted(str(t) for t in traffic)) or "none"
                        err(index, (*base, "traffic", m), f'Invalid value: "{name}": no Traffic of that name '
                            f"(this file has: {known})", name)
    return out


def focus_ref(text: str):
    """The ObjectRef a focus entry ("Node/node-2", "Service/default/web") names, or None if malformed."""
    parts = text.split("/")
    if len(parts) == 2:
        return object_ref({"kind": parts[0], "metadata": {"name": parts[1]}})
    if len(parts) == 3:
        return object_ref({"kind": parts[0], "metadata": {"name": parts[2], "namespace": parts[1]}})
    return None


def _focus_ref(text: str) -> str:
    parts = text.split("/")
    if len(parts) == 2:
        kind, name = parts
        probe = {"kind": kind, "metadata": {"name": name}}
    elif len(parts) == 3:
        kind, ns, name = parts
        probe = {"kind": kind, "metadata": {"name": name, "namespace": ns}}
    else:
        return ""
    return str(object_ref(probe)).strip()


def load_lesson(path: str | Path) -> tuple[Lesson, Document]:
    """Read a lesson file; ScenarioError (every problem, located) when it is not a valid lesson."""
    path = Path(path)
    doc = load_document(path)
    from core.scenario import build_model  # noqa: PLC0415

    _, diags = build_model(doc)  # raises ScenarioError on any scenario error
    del diags
    found = _find(doc)
    if not found:
        raise ScenarioError(Diagnostic("error", "no Lesson object: a lesson is a scenario file with one "
                                       "podpath.dev/v1alpha1 Lesson (see docs/lessons.md)", str(path)))
    problems = lesson_problems(doc, str(path))
    if problems:
        raise ScenarioError(problems)
    return lesson_from_raw(found[0][1], path), doc


def lessons_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "lessons"


def builtin_lessons() -> list[Path]:
    return sorted(lessons_dir().glob("*.yaml"))
