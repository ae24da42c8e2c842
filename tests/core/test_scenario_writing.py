"""`export -o PATH` and every save write *into* PATH as editors do (issue 8 item 1): one test per case."""

import os
import stat
import threading
import time

import pytest

from core.cli import main
from core.scenario import DEMO_SCENARIO, WriteError, load_document, save_document, write_file


def export(out) -> int:
    return main(["export", str(DEMO_SCENARIO), "-o", str(out)])


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_export_new_file_honours_umask(tmp_path, capsys):
    out = tmp_path / "new.yaml"
    old = os.umask(0o027)
    try:
        assert export(out) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # 0666 & ~027, not mkstemp's 0600
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert "kind: Deployment" in out.read_text()


def test_export_over_existing_file_keeps_its_mode_and_replaces_atomically(tmp_path, capsys, umask_022):
    out = tmp_path / "old.yaml"
    out.write_text("old\n")
    out.chmod(0o604)
    inode = out.stat().st_ino
    assert export(out) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert out.stat().st_ino != inode  # a new file renamed over the old one: never half-written
    assert "kind: Service" in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.yaml"]  # no temporary file left


def test_export_through_symlink_writes_its_target(tmp_path, capsys):
    target = tmp_path / "real.yaml"
    target.write_text("old\n")
    target.chmod(0o600)
    link = tmp_path / "link.yaml"
    link.symlink_to("real.yaml")
    assert export(link) == 0
    assert link.is_symlink() and os.readlink(link) == "real.yaml"
    assert "kind: Deployment" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_through_dangling_symlink_creates_its_target(tmp_path, capsys, umask_022):
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "sub-missing.yaml")
    assert export(link) == 0
    assert link.is_symlink()
    assert "kind: Deployment" in (tmp_path / "sub-missing.yaml").read_text()


def test_export_to_dev_full_reports_enospc_with_exit_1_and_keeps_the_device(capsys):
    assert export("/dev/full") == 1
    err = capsys.readouterr()
    assert err.err == "podpath export: cannot write /dev/full: no space left on device (ENOSPC)\n"
    assert "wrote" not in err.out
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_to_dev_null_is_written_directly(capsys):
    assert export("/dev/null") == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_fifo_without_reader_refused_not_replaced(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert export(fifo) == 1
    assert capsys.readouterr().err == (f"podpath export: cannot write {fifo}: is a FIFO with no process reading it; "
                                       "start the reader first\n")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_to_fifo_with_reader_writes_into_it(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    ready = threading.Event()

    def reader():
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opens at once: the writer then finds a reader
        ready.set()
        chunks = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:  # the writer is connected, no data yet
                time.sleep(0.005)
                continue
            if chunk:
                chunks.append(chunk)
            elif chunks:  # end of file after the data: the writer closed
                break
            else:  # no writer yet
                time.sleep(0.005)
        os.close(fd)
        received.append(b"".join(chunks).decode())

    thread = threading.Thread(target=reader)
    thread.start()
    assert ready.wait(5)
    code = export(fifo)
    thread.join(10)
    assert code == 0
    assert not thread.is_alive() and "kind: Deployment" in received[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_read_only_0444_file_refused_even_as_root(tmp_path, capsys):
    out = tmp_path / "ro.yaml"
    out.write_text("keep me\n")
    out.chmod(0o444)
    assert export(out) == 1
    assert capsys.readouterr().err == (f"podpath export: cannot write {out}: the file is read-only (mode 0444); "
                                       "make it writable first (chmod u+w) or choose another path\n")
    assert out.read_text() == "keep me\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o444


def test_export_dash_writes_standard_output(capsys):
    assert export("-") == 0
    out = capsys.readouterr().out
    assert out.startswith("apiVersion:") and "wrote" not in out


def test_export_dev_stdout_writes_the_open_descriptor(capfd):
    assert export("/dev/stdout") == 0
    out = capfd.readouterr().out
    assert out.startswith("apiVersion:") and "kind: Deployment" in out and "wrote" not in out
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)


def test_export_to_directory_or_missing_directory_refused(tmp_path, capsys):
    assert export(tmp_path) == 1
    assert capsys.readouterr().err == f"podpath export: cannot write {tmp_path}: is a directory\n"
    missing = tmp_path / "no" / "out.yaml"
    assert export(missing) == 1
    assert capsys.readouterr().err == (f"podpath export: cannot write {missing}: the directory {tmp_path / 'no'} "
                                       "does not exist\n")


def test_hard_linked_file_written_in_place_so_both_names_see_it(tmp_path, capsys):
    first = tmp_path / "a.yaml"
    first.write_text("old\n")
    second = tmp_path / "b.yaml"
    os.link(first, second)
    assert export(first) == 0
    assert first.stat().st_ino == second.stat().st_ino
    assert "kind: Deployment" in second.read_text()


def test_save_document_writes_through_symlink_keeps_mode_and_refuses_read_only(tmp_path):
    doc = load_document(DEMO_SCENARIO)
    target = tmp_path / "scenario.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "current.yaml"
    link.symlink_to(target)
    save_document(doc, link)
    assert link.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert load_document(target).objects() == doc.objects()
    target.chmod(0o444)
    with pytest.raises(WriteError) as info:
        save_document(doc, target)
    assert str(info.value) == (f"cannot write {target}: the file is read-only (mode 0444); make it writable first "
                               "(chmod u+w) or choose another path")


def test_write_file_enospc_is_a_write_error():
    with pytest.raises(WriteError) as info:
        write_file("/dev/full", "x\n")
    assert str(info.value) == "cannot write /dev/full: no space left on device (ENOSPC)"
