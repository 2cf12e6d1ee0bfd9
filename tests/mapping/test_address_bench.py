"""bench/address_import.py still runs end to end and keeps its JSON contract (a small file: the figures are
measured by `make bench NAME=address_import`, not asserted here)."""
import json
import os
import subprocess
import sys

import pytest

from harness.stack import ROOT

pytestmark = pytest.mark.integration


def test_the_address_bench_imports_searches_and_prints_the_contract():
    done = subprocess.run([sys.executable, "bench/address_import.py", "--rows", "3000", "--searches", "60"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "SECRET_KEY": "bench"})
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == {"bench", "rows", "file_bytes", "import_s", "rows_per_s", "reimport_s", "peak_mb",
                           "import_grew_mb", "searches", "search_p50_ms", "search_p95_ms", "block_hits"}
    assert (result["bench"], result["rows"], result["searches"], result["block_hits"]) == ("address_import", 3000, 60, 30)
