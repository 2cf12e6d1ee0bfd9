"""Bench: the outbox under mail faults, with a real worker, a real web server and real SMTP servers.

Runs each scenario of tests/mail_fault_scenarios.py (the servers of tests/smtp.py) on a throwaway PostgreSQL
and Redis (harness.Stack): SMTP refusing, SMTP hanging (then back), the worker killed after the server accepted
the 日報, a relay answering after the client's timeout. Prints one row per scenario: deliveries counted at the
server, the mail's final state, the seconds the web request to flag a crisis took, the attempts. Short
settings (tests/mail_fault_scenarios.SETTINGS): EMAIL_TIMEOUT 2 s, 4 retries from 1 s, stale after 6 s.

    uv run python bench/mail_faults.py

Last line: {"bench": "mail_faults", "rows": [...]}
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import Stack  # noqa: E402

COLUMNS = ("scenario", "deliveries", "state", "web_s", "attempts")


def main() -> int:
    with Stack(postgres=True, redis=True) as stack:
        os.environ["MEDIA_ROOT"] = str(stack.dir / "media")
        env = stack.env()
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        os.environ.update(env)
        import django

        django.setup()
        for noisy in ("mail.log", "weasyprint", "fontTools", "matplotlib"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        from tests import mail_fault_scenarios as faults

        rig = faults.Rig(stack, database_url=stack.database_url, broker_url=stack.redis_url).start()
        rows = []
        try:
            for run in (faults.smtp_refusing, faults.smtp_hanging,
                        lambda r: faults.worker_killed_after_accept(r, f"faultworker{r.workers}"),
                        faults.relay_answers_late):
                started = clock.monotonic()
                result = run(rig)
                row = {k: result[k] for k in COLUMNS} | {"error": result["error"],
                                                         "scenario_s": round(clock.monotonic() - started, 1)}
                rows.append(row)
                print(f"{row['scenario']}: {row['state']} after {row['scenario_s']} s", flush=True)
        finally:
            rig.close()
    print()
    print(f"{'scenario':52} {'deliveries':>10} {'state':>8} {'web s':>6} {'attempts':>8}  error")
    for row in rows:
        web = f"{row['web_s']:.2f}" if row["web_s"] is not None else "-"
        print(f"{row['scenario']:52} {row['deliveries']:>10} {row['state']:>8} {web:>6} {row['attempts']:>8}  "
              f"{row['error']}")
    print(json.dumps({"bench": "mail_faults", "rows": rows}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
