"""The benches still run end to end and keep the issue's JSON contract (a tiny run each: the figures
themselves are measured by `make bench`, not asserted here)."""
import json
import os
import subprocess
import sys

import pytest

from harness.stack import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.pg]

CONTRACT = {"bench", "clients", "volunteers", "throughput_per_s", "p50_ms", "p95_ms", "p99_ms", "lost", "duplicated",
            "baseline_per_s", "ratio"}


@pytest.mark.parametrize("name, extra", [("checkin_burst", []), ("checkin_floor", ["--publish", "layer"])])
def test_bench_checks_everyone_in_once_and_prints_the_contract(name, extra):
    done = subprocess.run([sys.executable, f"bench/{name}.py", "--clients", "4", "--volunteers", "24", *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) >= CONTRACT
    assert result["bench"] == name
    assert (result["volunteers"], result["lost"], result["duplicated"]) == (24, 0, 0)
    assert result["throughput_per_s"] > 0 and result["baseline_per_s"] > 0


def test_the_import_bench_runs_and_the_hostile_file_is_refused():
    done = subprocess.run([sys.executable, "bench/needs_import.py", "--rows", "300"], cwd=ROOT, capture_output=True,
                          text=True, timeout=240, env={**os.environ, "SECRET_KEY": "bench"})
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["bench"] == "needs_import" and result["hostile_answer"].startswith("列が多すぎます")
    assert result["honest_s"] > 0 and result["hostile_s"] < 5


PUBLIC_FEED_CONTRACT = {"bench", "clients", "requests_per_s", "p95_ms", "not_modified_share", "static_requests_per_s",
                        "ratio"}


def test_the_public_feed_bench_polls_both_urls_during_check_ins_and_prints_the_contract():
    done = subprocess.run([sys.executable, "bench/public_feed.py", "--clients", "4", "--seconds", "1.5",
                           "--checkin-rate", "4", "--volunteers", "20", "--needs", "20"],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) >= PUBLIC_FEED_CONTRACT and result["bench"] == "public_feed"
    assert result["requests_per_s"] > 0 and result["static_requests_per_s"] > 0 and result["ratio"] > 0
    assert 0 < result["not_modified_share"] < 1  # revalidated (304) while current, 200 once check-ins moved it
    assert result["checkins"] > 0 and result["errors"] == 0
    assert result["set_cookie"] == 0  # an anonymous poll is answered without a cookie
