"""A clone from anywhere has everything (issue 8 item 19): no test data or documentation outside the checkout."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_and_docs_do_not_point_outside_the_repository():
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text()
        assert "../shared" not in text, path
        for target in re.findall(r"\]\(([\w./-]+\.(?:md|py|yaml|sh))\)", text):  # relative links resolve here
            assert (path.parent / target).exists(), (path.name, target)


def test_readme_points_at_the_kubernetes_model():
    assert "(docs/kubernetes-model.md)" in (ROOT / "README.md").read_text()


def test_kubernetes_model_cites_upstream_sources():
    text = (ROOT / "docs" / "kubernetes-model.md").read_text()
    for source in ("pkg/proxy/iptables/proxier.go", "pkg/proxy/ipvs/proxier.go", "pkg/proxy/nftables/proxier.go",
                   "staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go",
                   "pkg/controller/nodelifecycle/node_lifecycle_controller.go", "pkg/scheduler/schedule_one.go"):
        assert source in text


def test_tests_use_no_files_outside_the_checkout():
    for path in (ROOT / "tests").rglob("*.py"):
        if path.name == "test_standalone.py":
            continue
        assert "../shared" not in path.read_text() and "ROOT.parent" not in path.read_text(), path


def test_no_file_in_the_repository_refers_to_a_shared_directory_beside_it():
    # every tracked file (code, docs, lessons, packaging, tests): a clone from anywhere has no ../shared beside it
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    outside = "../" + "shared"
    found = []
    for name in filter(None, names):
        path = ROOT / name.decode()
        if path.name != "test_standalone.py" and path.is_file() and path.stat().st_size < 5_000_000:
            try:
                text = path.read_text()
            except UnicodeDecodeError:
                continue
            if outside in text or "/work/" + "shared" in text:
                found.append(name.decode())
    assert found == []
