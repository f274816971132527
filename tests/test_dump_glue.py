"""scripts/dump_glue.py records what a chapter glues, so a refactoring can be diffed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("dump_glue", ROOT / "scripts" / "dump_glue.py")
dump_glue = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dump_glue)

CHAPTER = """---
kernelspec:
  name: python3
  display_name: Python 3
---
# A chapter

```{code-cell} ipython3
from myst_nb import glue
value = 6 * 7
glue("answer", value, display=False)
print("printed", value)
```
"""


@pytest.mark.slow
def test_a_glued_number_is_recorded_by_its_text_and_a_change_is_found(tmp_path):
    chapter = tmp_path / "en" / "chapter.md"
    chapter.parent.mkdir()
    chapter.write_text(CHAPTER)
    assert dump_glue.main([str(tmp_path / "before"), str(chapter)]) == 0
    dump = json.loads((tmp_path / "before" / "en-chapter.json").read_text())
    assert dump["glued"]["answer"]["text/plain"] == "42"  # not an empty record
    assert dump["printed"] == ["printed 42\n"]
    chapter.write_text(CHAPTER.replace("6 * 7", "6 * 8"))
    assert dump_glue.main([str(tmp_path / "after"), str(chapter)]) == 0
    assert dump_glue.main(["--diff", str(tmp_path / "before"), str(tmp_path / "before")]) == 0
    assert dump_glue.main(["--diff", str(tmp_path / "before"), str(tmp_path / "after")]) == 1
    after = json.loads((tmp_path / "after" / "en-chapter.json").read_text())
    assert dump_glue.diff(dump, after) == ["answer: text/plain changed", "printed output changed"]
