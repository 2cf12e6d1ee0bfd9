"""Every board (staff, public, the leader's slip: they share board.js's LiveBoard) reloads its snapshot when the
drill is reset (`drill.reset`), rather than applying it as one more change. Run in Node on the file as shipped."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

BOARD_JS = Path(__file__).resolve().parents[2] / "ops" / "boards" / "static" / "boards" / "board.js"
SCRIPT = """
const live = require(%s);
const fetched = [], applied = [];
const board = new live.LiveBoard({
  snapshotUrl: "/snapshot", eventsUrl: "/events", onSnapshot: function (s) { applied.push("snapshot:" + s.seq); },
  onEvent: function (e) { applied.push(e.kind); },
  fetch: function (url) { fetched.push(url); return Promise.resolve({ ok: true, json: function () {
    return Promise.resolve({ seq: 12 }); } }); },
});
board.seq = 10;
board.receive({ seq: 11, kind: "need.created", data: {} });
board.receive({ seq: 12, kind: "drill.reset", data: { drill_reset: true } });
setTimeout(function () { console.log(JSON.stringify({ fetched: fetched, applied: applied, seq: board.seq })); }, 10);
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_a_drill_reset_makes_the_board_reload_its_snapshot():
    out = subprocess.run(["node", "-e", SCRIPT % json.dumps(str(BOARD_JS))], capture_output=True, text=True,
                         check=True, timeout=20).stdout
    assert json.loads(out) == {"fetched": ["/snapshot"], "applied": ["need.created", "snapshot:12"], "seq": 12}
