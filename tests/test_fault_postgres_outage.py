"""Fault (b), bounded for CI: PostgreSQL stopped under gunicorn (2 workers) and started again.

The full-length run (20 s down) is ``bench/faults/postgres_outage.py``; this runs the same
code with a shorter outage and asserts its counts.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench" / "faults"))

import postgres_outage

pytestmark = pytest.mark.fault


def test_postgres_outage_gives_503s_recovers_by_itself_and_loses_nothing():
    result = postgres_outage.run(down=10.0, before=3.0, after=5.0, posters=2)
    print(result)
    down = result["requests"]["down"]
    assert down.get("post 503", 0) > 0 and down.get("get 503", 0) > 0  # visitors were told while it was down
    assert result["errors_500"] == 0
    assert result["503_without_retry_after"] == 0
    assert result["acknowledged"] > 0
    assert result["missing"] == 0  # every acknowledged submission is stored
    assert result["stored_after_503"] == 0  # and nothing the visitor was told failed was stored after all
    # Recovered without restarting the app: pages and submissions within seconds of the restart.
    assert result["recovery_first_success_s"] is not None and result["recovery_first_success_s"] < 5
    assert result["recovery_first_submission_s"] is not None and result["recovery_first_submission_s"] < 5
