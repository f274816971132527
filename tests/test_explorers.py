"""The in-page explorers compute what the convnotes package computes.

``scripts/make_explorer_cases.py`` computes thousands of cases with the package (conv
arithmetic with its refusals, receptive fields, pooling, filters on the shipped photos,
Hyperband schedules); ``tests/js/explorers.test.mjs`` runs the explorers' JavaScript on
every case under Node's own test runner. Also: the committed playground data is what
the script writes, the directive emits its container in HTML only (and the scripts only
on pages that use it), and the notebooks drop it.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_TEST = ROOT / "tests" / "js" / "explorers.test.mjs"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs Node.js (node --test)")
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import convnotes_explorers  # noqa: E402


def _load(name: str):
    spec = importlib.util.spec_from_file_location(
        f"convnotes_test_{name}", ROOT / "scripts" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make_explorer_cases = _load("make_explorer_cases")
make_notebooks = _load("make_notebooks")

#: The least number of cases each explorer must be compared on.
MINIMUM_CASES = {
    "conv-arithmetic": 5000,
    "receptive-field": 2000,
    "pooling": 2000,
    "kernel-playground": 200,
    "hyperband": 2500,
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_explorer_cases.write_cases(tmp_path_factory.mktemp("explorers") / "cases.json")


def _node(cases_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONVNOTES_EXPLORER_CASES": str(cases_path)}
    return subprocess.run(  # noqa: S603 - our own test file
        [NODE, "--test", str(NODE_TEST)], capture_output=True, text=True, env=env, timeout=120
    )


@needs_node
def test_every_explorer_agrees_with_the_package_on_every_case(cases: Path) -> None:
    done = _node(cases)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    counts = dict(re.findall(r"# ([\w-]+): (\d+) cases compared", done.stdout))
    assert set(counts) == set(MINIMUM_CASES), done.stdout[-3000:]
    for name, least in MINIMUM_CASES.items():
        assert int(counts[name]) >= least, (name, counts[name])
    assert re.search(r"^# fail 0$", done.stdout, re.M)


def _tampered(cases: Path, tmp_path: Path, change) -> Path:  # noqa: ANN001
    data = json.loads(cases.read_text(encoding="utf-8"))
    small = {
        "conv_arithmetic": data["conv_arithmetic"][:40],
        "receptive_field": data["receptive_field"][:40],
        "pooling": data["pooling"][:40],
        "kernel_playground": {
            "positions": data["kernel_playground"]["positions"],
            "cases": data["kernel_playground"]["cases"][:4],
        },
        "hyperband": {k: v[:40] for k, v in data["hyperband"].items()},
    }
    change(small)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(small), encoding="utf-8")
    return path


def _conv_same_split(small: dict) -> None:
    """Put the larger half of an odd 'same' padding before the input (PyTorch-like)."""
    case = {"n": 6, "k": 4, "padding": "same", "stride": 1, "dilation": 1}
    case["expect"] = {"out": 6, "before": 2, "after": 1}
    small["conv_arithmetic"].append(case)


def _field(small: dict) -> None:
    case = next(c for c in small["receptive_field"] if "growth" in c["expect"])
    case["expect"]["growth"][-1][0] += 1


def _pool_value(small: dict) -> None:
    case = next(c for c in small["pooling"] if "value" in c["expect"])
    case["expect"]["value"][0][0] += 1


def _uint8_image(small: dict) -> None:
    small["kernel_playground"]["cases"][0]["expect"]["uint8_fnv1a"] ^= 1


def _schedule(small: dict) -> None:
    case = next(c for c in small["hyperband"]["keras_tuner"] if "rounds" in c["expect"])
    case["expect"]["rounds"][0][3] += 1  # one model more in the first round


def _every_explorer(small: dict) -> None:
    for change in (_conv_same_split, _field, _pool_value, _uint8_image, _schedule):
        change(small)


def _refusal_text(small: dict) -> None:
    case = {"n": 2, "k": 3, "padding": "valid", "stride": 1, "dilation": 1}
    case["expect"] = {"error": "ValueError", "message": "kernel too large"}
    small["conv_arithmetic"].append(case)


@needs_node
@pytest.mark.parametrize(
    ("change", "explorers"),
    [
        (_every_explorer, sorted(MINIMUM_CASES)),  # one wrong case each
        (_refusal_text, ["conv-arithmetic"]),  # a refusal's text is compared too
    ],
)
def test_a_disagreement_fails_the_node_test(cases: Path, tmp_path: Path, change, explorers) -> None:  # noqa: ANN001
    done = _node(_tampered(cases, tmp_path, change))
    assert done.returncode != 0
    failed = re.findall(r"^not ok \d+ - ([\w-]+) agrees", done.stdout, re.M)
    assert sorted(failed) == explorers, done.stdout[-3000:]


def test_the_committed_playground_data_is_what_the_script_writes() -> None:
    committed = make_explorer_cases.DATA_JS.read_text(encoding="utf-8")
    assert committed == make_explorer_cases.playground_js(), (
        "book/_static/explorers/kernel-playground-data.js is stale: run "
        "scripts/make_explorer_cases.py --data"
    )


def test_the_shipped_photos_are_the_books_photos_reduced() -> None:
    import numpy as np

    from convnotes import filters

    camera = filters.sample_image("camera", gray=True).image.astype(float)
    small = make_explorer_cases.photo_pixels("camera")
    # 4 x 4 block means of the 512 x 512 photo, rounded: pixel (10, 20) by hand
    assert small[10, 20] == np.round(camera[40:44, 80:84].mean())
    assert {p["name"] for p in make_explorer_cases.playground_data()["photos"]} <= set(
        filters.SAMPLE_NAMES
    )


def test_explicit_padding_cases_follow_the_package() -> None:
    from convnotes import conv, params

    # symmetric explicit padding is Dumoulin & Visin's relation in convnotes.params
    assert make_explorer_cases.conv_axis(227, 11, "explicit", 4, 1, 0, 0)[0] == 55
    assert make_explorer_cases.conv_axis(5, 3, "explicit", 2, 1, 1, 1)[0] == (
        params.conv_output_length(5, 3, s=2, p=1)
    )
    with pytest.raises(ValueError, match=re.escape("larger than the input (3)")):
        make_explorer_cases.conv_axis(2, 4, "explicit", 1, 1, 1, 0)
    with pytest.raises(ValueError, match="padding before must be a non-negative integer"):
        make_explorer_cases.conv_axis(5, 3, "explicit", 1, 1, -1, 0)
    assert make_explorer_cases.conv_axis(6, 4, "same", 1, 1) == (
        conv.output_size(6, 4, "same"),
        *conv.padding_amounts(6, 4, "same"),
    )


def test_the_scripts_examples_run() -> None:
    for module in (make_explorer_cases, convnotes_explorers):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_notebooks_drop_the_explorer_directive() -> None:
    ctx = make_notebooks.MarkdownContext(
        "fa", "book/fa/convolution", make_notebooks.Repository("a", "b"), "main"
    )
    text = (
        "پیش از آن.\n\n```{explorer} conv-arithmetic\n:input: 7\n:padding: same\n```\n\nپس از آن."
    )
    out = make_notebooks.convert_markdown(text, ctx)
    assert "explorer" not in out and "input" not in out
    assert "پیش از آن." in out and "پس از آن." in out


SPHINX_CONF = """
import sys
sys.path.insert(0, {ext!r})
extensions = ["myst_parser", "convnotes_explorers"]
myst_enable_extensions = ["colon_fence"]
"""


def _sphinx(tmp_path: Path, pages: dict[str, str], builder: str = "html"):  # noqa: ANN202
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    for name, text in pages.items():
        path = src / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (src / "conf.py").write_text(SPHINX_CONF.format(ext=str(ROOT / "book" / "_ext")))
    out = tmp_path / builder
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees" / builder), builder,
                 status=None, warning=None, freshenv=True)  # fmt: skip
    app.build()
    return out, app


TOC = "# Home\n\n```{toctree}\nbook/fa/pooling\nplain\n```\n"
POOLING_FA = "# ادغام\n\nمتن.\n\n```{explorer} pooling\n:mode: average\n:window: 3\n```\n"


def test_the_directive_writes_a_hidden_container_and_scripts_on_its_page_only(
    tmp_path: Path,
) -> None:
    out, app = _sphinx(
        tmp_path, {"index": TOC, "book/fa/pooling": POOLING_FA, "plain": "# Plain\n\ntext\n"}
    )
    assert not app._warncount  # noqa: SLF001
    page = (out / "book" / "fa" / "pooling.html").read_text(encoding="utf-8")
    assert (
        '<div class="cn-explorer" data-cn-explorer="pooling" data-cn-lang="fa" '
        'data-cn-options="{&quot;mode&quot;: &quot;average&quot;, &quot;window&quot;: 3}" '
        "hidden></div>"
    ) in page
    scripts = re.findall(r'<script defer="defer" src="([^"]+)"', page)
    assert [s.split("/_static/")[-1].split("?")[0] for s in scripts] == [
        "explorers/explorers-core.js",
        "explorers/pooling.js",
    ]
    assert "explorers/explorers.css" in page
    plain = (out / "plain.html").read_text(encoding="utf-8")
    assert "explorers" not in plain and "cn-explorer" not in plain


def test_the_directive_writes_nothing_in_other_formats(tmp_path: Path) -> None:
    out, _ = _sphinx(
        tmp_path, {"index": TOC, "book/fa/pooling": POOLING_FA, "plain": "# P\n"}, "text"
    )
    text = (out / "book" / "fa" / "pooling.txt").read_text(encoding="utf-8")
    assert "متن." in text and "explorer" not in text and "average" not in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("```{explorer} pooling-2\n```", "unknown explorer 'pooling-2'"),
        ("```{explorer} pooling\n:factor: 3\n```", "takes no option 'factor'"),
        ("```{explorer} pooling\n:mode: median\n```", "option 'mode': must be one of"),
        ("```{explorer} hyperband\n:factor: 0\n```", "must be a positive integer"),
    ],
)
def test_a_wrong_directive_is_a_build_warning(tmp_path: Path, body: str, message: str) -> None:
    import io

    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text(f"# Home\n\n{body}\n", encoding="utf-8")
    (src / "conf.py").write_text(SPHINX_CONF.format(ext=str(ROOT / "book" / "_ext")))
    warnings = io.StringIO()
    app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "dt"), "html",
                 status=None, warning=warnings, freshenv=True)  # fmt: skip
    app.build()
    assert message in warnings.getvalue()


# ------------------------------------------------------------ in a browser --
def _browser_check():
    spec = importlib.util.spec_from_file_location(
        "convnotes_test_browser_check", ROOT / "scripts" / "browser_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


browser_check = _browser_check()
needs_browser = pytest.mark.skipif(
    not (Path(browser_check.CHROMIUM).exists() and importlib.util.find_spec("playwright")),
    reason="needs /usr/bin/chromium and playwright",
)
PAGE = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="../../_static/explorers/explorers.css">
<script defer src="../../_static/explorers/explorers-core.js"></script>
<script defer src="../../_static/explorers/pooling.js"></script></head>
<body><article class="bd-article"><p>{text}</p>{container}</article></body></html>
"""


def _site(tmp_path: Path, breakage: tuple[str, str] | None = None) -> Path:
    html = tmp_path / "html"
    shutil.copytree(ROOT / "book" / "_static" / "explorers", html / "_static" / "explorers")
    if breakage:  # a bug in the pooling explorer's math
        script = html / "_static" / "explorers" / "pooling.js"
        text = script.read_text(encoding="utf-8")
        assert breakage[0] in text
        script.write_text(text.replace(breakage[0], breakage[1]), encoding="utf-8")
    for lang, text in (("en", "Pooling."), ("fa", "ادغام.")):
        page = html / "book" / lang / "pooling.html"
        page.parent.mkdir(parents=True)
        container = convnotes_explorers.container_html("pooling", {}, lang)
        direction = "rtl" if lang == "fa" else "ltr"
        page.write_text(PAGE.format(lang=lang, dir=direction, text=text, container=container))
    return html


def _small_cases(cases: Path, tmp_path: Path) -> Path:
    return _tampered(cases, tmp_path, lambda small: None)


def _check_in_browser(html: Path, cases: Path, tmp_path: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    report = browser_check.Report()
    pages = ["book/en/pooling.html", "book/fa/pooling.html"]
    with browser_check.serve(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_check.CHROMIUM, args=browser_check.CHROMIUM_ARGS
        )
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on("pageerror", lambda error: report.fail("page", str(error)))
        browser_check.check_explorers(
            page, base, html, pages, report, tmp_path, 1280, cases_path=cases, source=tmp_path
        )
        browser.close()
    return report.failures


@needs_browser
def test_the_browser_check_drives_a_good_explorer_in_both_languages(
    cases: Path, tmp_path: Path
) -> None:
    failures = _check_in_browser(_site(tmp_path), _small_cases(cases, tmp_path), tmp_path)
    assert failures == []
    assert {p.name for p in tmp_path.glob("explorer-*.png")} == {
        "explorer-pooling-en-1280.png",
        "explorer-pooling-fa-1280.png",
    }


@needs_browser
def test_the_browser_check_catches_a_wrong_explorer(cases: Path, tmp_path: Path) -> None:
    # the average divided by the whole window, padding included (not Keras' rule)
    wrong = (
        "return acc / ((rowWins[i].end - rowWins[i].start) * (win.end - win.start));",
        "return acc / ((rowWins[i].end - rowWins[i].start + rowWins[i].padded) * "
        "(win.end - win.start + win.padded));",
    )
    failures = _check_in_browser(_site(tmp_path, wrong), _small_cases(cases, tmp_path), tmp_path)
    text = "\n".join(failures)
    assert "explorer cases on book/en/pooling.html: pooling: case" in text
    assert "explorer cases on book/fa/pooling.html: pooling: case" in text
    assert "explorer pooling on book/fa/pooling.html @1280px: average (0, 0)" in text
    assert not [f for f in failures if "pooling" not in f], text


@needs_browser
def test_without_javascript_and_in_print_the_explorer_is_hidden(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    html = _site(tmp_path)
    seen = {}
    with browser_check.serve(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_check.CHROMIUM, args=browser_check.CHROMIUM_ARGS
        )
        for javascript in (True, False):
            page = browser.new_context(java_script_enabled=javascript).new_page()
            page.goto(base + "book/fa/pooling.html", wait_until="load")
            explorer = page.locator(".cn-explorer")
            if javascript:
                explorer.wait_for(state="visible", timeout=5000)
            seen[("screen", javascript)] = explorer.is_visible()
            page.emulate_media(media="print")
            seen[("print", javascript)] = explorer.is_visible()
        browser.close()
    assert seen == {
        ("screen", True): True,
        ("print", True): False,
        ("screen", False): False,
        ("print", False): False,
    }


def test_the_directive_offers_the_packages_kernels_photos_and_modes() -> None:
    from convnotes import filters, pooling

    options = convnotes_explorers.EXPLORERS["kernel-playground"][1]
    assert options["kernel"].names == filters.KERNEL_NAMES
    assert options["border"].names == tuple(filters.BORDER_MODES)
    assert options["photo"].names == tuple(make_explorer_cases.PHOTOS)
    assert convnotes_explorers.EXPLORERS["pooling"][1]["mode"].names == pooling.MODES
