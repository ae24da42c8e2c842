"""The built-in lessons: each is a valid scenario, bilingual, and every fact it states holds in a headless run."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from core.scenario import ScenarioError, build_model, export_manifests, load_document, load_model
from desktop.lessons.checks import Window, evaluate, judge
from desktop.lessons.model import Check, Range, builtin_lessons, load_lesson

LESSONS = builtin_lessons()
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")


def test_the_six_lessons_of_the_lecture_are_there_in_order():
    names = [p.name for p in LESSONS]
    assert names == ["01-why-services.yaml", "02-clusterip-kube-proxy.yaml", "03-nodeport.yaml",
                     "04-loadbalancer.yaml", "05-ingress.yaml", "06-comparison.yaml"]
    orders = [load_lesson(p)[0].order for p in LESSONS]
    assert orders == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_a_valid_scenario_without_warnings(path: Path):
    _, warnings = build_model(load_document(path))
    assert warnings == [], [w.format() for w in warnings]
    lesson, _ = load_lesson(path)
    assert lesson.steps, "a lesson has steps"
    assert [s.until for s in lesson.steps] == sorted(s.until for s in lesson.steps)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_text_is_in_korean_and_in_english(path: Path):
    lesson, _ = load_lesson(path)
    texts = [lesson.title, *(s.caption for s in lesson.steps)]
    for s in lesson.steps:
        if s.predict:
            texts += [s.predict.question, s.predict.answer, *s.predict.choices]
    for t in texts:
        assert HANGUL.search(t.ko), f"Korean text has no Hangul: {t.ko!r}"
        assert t.en and not HANGUL.search(t.en), f"English text missing or not English: {t.en!r}"
        assert LATIN.search(t.en)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_fact_the_lesson_states_holds_in_a_headless_run(path: Path):
    lesson, _ = load_lesson(path)
    outcomes = evaluate(lesson, load_model(path))
    assert outcomes, "each lesson backs its story with at least one check"
    bad = [f"step {o.step} {o.where}: {'; '.join(o.failures)}" for o in outcomes if not o.ok]
    assert not bad, bad


def test_every_predict_pause_is_backed_by_a_check():
    for path in LESSONS:
        lesson, _ = load_lesson(path)
        for i, step in enumerate(lesson.steps, 1):
            if step.predict:
                assert step.predict.checks, f"{path.name} step {i}: a predict pause must be checked"


def test_the_comparison_table_is_the_lecture_table_and_every_cell_links_to_a_real_step():
    lesson, _ = load_lesson(LESSONS[-1])
    by_name = {load_lesson(p)[0].name: load_lesson(p)[0] for p in LESSONS}
    assert [r.row.ko for r in lesson.table] == ["외부 접속", "L7 지원", "30000 이하 포트 사용", "가상 호스팅",
                                                "성능 (측정)", "Production 권장"]
    # the lecture's O/X cells (seed/000_…: 외부 접속 X O O O, L7 X X X O, 30000 이하 O X O O, 가상 호스팅 X X X O,
    # Production 권장 O X O O)
    expect = {"외부 접속": "XOOO", "L7 지원": "XXXO", "30000 이하 포트 사용": "OXOO", "가상 호스팅": "XXXO",
              "Production 권장": "OXOO"}
    for row in lesson.table:
        assert [c.column for c in row.cells] == ["ClusterIP", "NodePort", "LoadBalancer", "Ingress"]
        if row.row.ko in expect:
            assert "".join(c.value for c in row.cells) == expect[row.row.ko]
        for c in row.cells:
            target = by_name[c.lesson]
            assert 1 <= c.step <= len(target.steps), (row.row.en, c.column)


def test_the_measured_performance_row_matches_its_checks():
    """The table's latency figures are the medians the comparison steps check (worked out from
    core/dataplane/latency.py: ClusterIP 0.2 cross-node + 0.002 DNAT + rule walk; NodePort 1 external + 0.2 hop
    + DNAT + SNAT; LB 1 + 0.1 LB + 0.02 same node + DNAT; Ingress 1 + 0.1 + 0.02 + 0.3 proxy + 0.2 hop + NATs)."""
    lesson, _ = load_lesson(LESSONS[-1])
    perf = next(r for r in lesson.table if r.row.en.startswith("Performance"))
    for cell in perf.cells:
        ms = float(cell.value.split()[0])
        step = lesson.steps[cell.step - 1]
        checks = [*step.checks, *(step.predict.checks if step.predict else ())]
        assert any(c.latency_p50 and c.latency_p50.holds(ms) for c in checks), cell


def test_export_of_a_lesson_drops_the_lesson_object():
    out = export_manifests(load_document(LESSONS[0]))
    assert "kind: Lesson" not in out and "kind: Deployment" in out


# -- the checker itself, on hand-made windows ----------------------------------------------------------


def _window(**kw) -> Window:
    base = dict(sent=10, delivered=10, dropped=Counter(), by_node=Counter(), by_ip=Counter(), by_pod=Counter(),
                latency_p50=None)
    base.update(kw)
    return Window(**base)


def test_judge_reports_each_broken_fact():
    w = _window(delivered=7, dropped=Counter(refused=3), by_node=Counter({"node-1": 4, "node-2": 3}),
                by_pod=Counter({"a": 4, "b": 3}), latency_p50=1.5)
    ok = Check(0, 1, delivered=Range(7, 7), dropped={"refused": Range(1, None)}, nodes={"node-3": Range(None, 0)},
               endpoints=Range(2, 2), spread=Range(None, 1), latency_p50=Range(1.4, 1.6))
    assert judge(ok, w) == []
    bad = Check(0, 1, delivered=Range(None, 0), dropped={"node_down": Range(1, None)}, endpoints=Range(3, 3),
                spread=Range(None, 0), latency_p50=Range(None, 1.0))
    assert judge(bad, w) == ["delivered is 7, expected <= 0", "dropped[node_down] is 0, expected >= 1",
                             "pods that answered is 2, expected = 3", "spread (max - min per pod) is 1, expected <= 0",
                             "median latency (ms) is 1.5, expected <= 1"]


def test_whole_lesson_rules_are_located_errors(tmp_path: Path):
    text = LESSONS[0].read_text(encoding="utf-8")
    text = text.replace("focus: [Node/node-2]", "focus: [Node/node-9]")
    text = text.replace("{traffic: [static-route], from: 10, to: 20,", "{traffic: [static-rout], from: 10, to: 20,")
    text = text.replace("  - until: 40\n", "  - until: 15\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_lesson(bad)
    lines = [d.format() for d in err.value.diagnostics]
    assert any('spec.steps[1].focus[0]: Invalid value: "Node/node-9": no such object' in x for x in lines), lines
    assert any('spec.steps[1].predict.checks[0].traffic[0]: Invalid value: "static-rout": no Traffic of that name'
               in x for x in lines), lines
    assert any("spec.steps[2].until: Invalid value: 15: steps must be in time order" in x for x in lines), lines
    assert all(re.match(rf"{re.escape(str(bad))}:\d+:\d+: error: Lesson why-services: ", x) for x in lines), lines


def test_a_scenario_without_a_lesson_is_refused_clearly():
    demo = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "demo.yaml"
    with pytest.raises(ScenarioError, match="no Lesson object"):
        load_lesson(demo)


def _student_texts(lesson) -> list:
    texts = [lesson.title, *(s.caption for s in lesson.steps)]
    if lesson.summary:
        texts.append(lesson.summary)
    for s in lesson.steps:
        if s.predict:
            texts += [s.predict.question, s.predict.answer, *s.predict.choices]
    texts += [c.note for r in lesson.table for c in r.cells if c.note]
    return texts


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_students_read_drop_reasons_in_words_not_code_names(path: Path):
    """Captions and answers name a drop reason the way the drop chart's legend does, in the lesson's language
    ("timed out: sent to a dead pod"), never by its code name (timeout_dead_endpoint)."""
    import yaml

    from core.dataplane.outcomes import DROP_REASONS
    from desktop.i18n import DROP_REASON_LABELS

    glossary = yaml.safe_load((Path(__file__).resolve().parents[2] / "resources/translations/ko.yaml")
                              .read_text(encoding="utf-8"))
    labels = {"en": set(DROP_REASON_LABELS.values()), "ko": {glossary[en] for en in DROP_REASON_LABELS.values()}}
    lesson, _ = load_lesson(path)
    for text in _student_texts(lesson):
        for lang in ("ko", "en"):
            t = text.get(lang)
            for code in DROP_REASONS:
                if "_" in code or code == "nxdomain":
                    assert not re.search(rf"\b{code}\b", t), f"{code} in {t!r}"
                else:  # a one-word code ("refused") may be an ordinary word, but not as a (code) aside
                    assert f"({code})" not in t, t
            for quoted in re.findall(r"“([^”]+)”", t):
                if ":" in quoted:  # a quoted chart label must be the chart's own words in this language
                    assert quoted in labels[lang], (lang, quoted)
