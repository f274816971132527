"""The stray-output check finds printed reprs in built pages, and only those."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "check_stray_output", ROOT / "scripts" / "check_stray_output.py"
)
check = importlib.util.module_from_spec(spec)
sys.modules["check_stray_output"] = check
assert spec.loader is not None
spec.loader.exec_module(check)


def test_reprs_of_figures_display_objects_and_addresses_are_found() -> None:
    page = (
        "<pre>{'en': &lt;Figure size 1000x310 with 16 Axes&gt;, 'fa': ...}</pre>"
        "<pre>&lt;IPython.core.display.Markdown object&gt;</pre>"
        "<pre>&lt;keras.src.models.sequential.Sequential object at 0x7f3a2c1b9d50&gt;</pre>"
    )
    assert check.stray_outputs(page) == [
        "<Figure size 1000x310 with 16 Axes>",
        "<IPython.core.display.Markdown object>",
        "<keras.src.models.sequential.Sequential object at 0x7f3a2c1b9d50>",
    ]


def test_prose_about_figures_is_not_flagged() -> None:
    page = "<p>Each figure object is 640x360; see <code>plt.Figure</code>.</p>"
    assert check.stray_outputs(page) == []


def test_the_command_fails_on_a_site_with_a_stray_output(tmp_path: Path, capsys) -> None:
    pages = tmp_path / "book" / "en"
    pages.mkdir(parents=True)
    (pages / "ok.html").write_text("<p>fine</p>")
    assert check.main([str(tmp_path)]) == 0
    (pages / "bad.html").write_text("<pre>&lt;Figure size 640x480 with 1 Axes&gt;</pre>")
    assert check.main([str(tmp_path)]) == 1
    assert "book/en/bad.html: <Figure size 640x480 with 1 Axes>" in capsys.readouterr().out
