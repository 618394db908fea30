"""A server warms its search at start-up (jieba, pypinyin, the index vocabulary), so the first write or search after
a start does not load them inside the request; an app made without `warm_search` (tests) loads none of them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a fresh interpreter: in the test process jieba and pypinyin are already loaded by other tests.
SCRIPT = r"""
import json, sys, threading
from pathlib import Path
from fastapi.testclient import TestClient
from api.app import create_app
from catalog.search import analysis
from catalog.search.base import SearchQuery
from catalog.settings import Settings

tmp = Path(sys.argv[1])
out = {}
app = create_app(Settings(data_dir=tmp / "plain"))
with TestClient(app) as client:
    assert client.get("/api/v1/health").status_code == 200
    out["plain"] = [analysis._jieba is not None, "pypinyin" in sys.modules]
app = create_app(Settings(data_dir=tmp / "served"), warm_search=True)
with TestClient(app) as client:
    for thread in threading.enumerate():
        if thread.name == "mulu-search-warm":
            thread.join()
    out["served"] = [analysis._jieba is not None, "pypinyin" in sys.modules]
    vocab = app.state.catalog.search.vocab
    out["loads_before_search"] = vocab.loads
    app.state.catalog.search.search(SearchQuery(q="企业登记"))
    out["loads_after_search"] = vocab.loads
print(json.dumps(out))
"""


def test_a_served_app_warms_search_at_start_and_a_plain_one_does_not(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MULU_ELASTICSEARCH_URL", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["plain"] == [False, False]  # nothing loaded: tests that never search do not pay for it
    assert out["served"] == [True, True]
    assert out["loads_before_search"] == 1 and out["loads_after_search"] == 1  # the first search found it loaded
