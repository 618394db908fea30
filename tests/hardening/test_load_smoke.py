"""A short, bounded run of bench/load.py against a real `mulu serve`: the mix must hold with zero errors."""
from __future__ import annotations

from contextlib import ExitStack

from bench.load import local_server, report, run_load


def test_five_seconds_of_mixed_traffic_without_an_error() -> None:
    with ExitStack() as stack:
        url, token = local_server(stack)
        result = run_load(url=url, token=token, seconds=5, workers=4)
    print("\n" + report(result))
    assert result["errors"] == 0, result["first_errors"]
    assert set(result["kinds"]) == {"search", "read", "register"}
    assert result["requests"] >= 50
