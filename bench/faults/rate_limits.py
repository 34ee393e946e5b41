"""The form rate limit under gunicorn (2 workers) with the shared Redis, behind a trusted proxy.

    .venv/bin/python bench/faults/rate_limits.py

Prints: 30 posts from one visitor (limit 5 per minute) → how many accepted; 20 different
visitors behind the proxy (127.0.0.1 in TRUSTED_PROXIES, X-Forwarded-For) → how many
accepted; a visitor who rotates a forged X-Forwarded-For *through* the proxy (the proxy
appends the real address) → how many accepted.
"""

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faults.harness import FormClient, Stack, acknowledged


def run(stack):
    client = FormClient(stack)
    with ThreadPoolExecutor(6) as pool:
        one_visitor = list(pool.map(lambda n: client.submit(f"same{n}.r@example.org", "10.60.0.1")[0], range(30)))
        twenty_visitors = list(
            pool.map(lambda n: client.submit(f"many{n}.r@example.org", f"10.61.0.{n + 1}")[0], range(20))
        )
        # What nginx sends when the visitor 10.62.0.1 forges its own X-Forwarded-For first.
        forged = list(
            pool.map(lambda n: client.submit(f"forged{n}.r@example.org", f"192.0.2.{n + 1}, 10.62.0.1")[0], range(30))
        )
    return {
        "one_visitor_posts": len(one_visitor),
        "one_visitor_accepted": sum(map(acknowledged, one_visitor)),
        "one_visitor_refused_429": one_visitor.count(429),
        "visitors_behind_proxy": len(twenty_visitors),
        "visitors_behind_proxy_accepted": sum(map(acknowledged, twenty_visitors)),
        "forged_header_posts": len(forged),
        "forged_header_accepted": sum(map(acknowledged, forged)),
    }


def main():
    with Stack() as stack:
        stack.start_app(workers=2, threads=4)
        counts = run(stack)
    for name, value in counts.items():
        print(f"{name}: {value}")
    ok = counts["one_visitor_accepted"] == 5 and counts["visitors_behind_proxy_accepted"] == 20
    return 0 if ok and counts["forged_header_accepted"] == 5 else 1


if __name__ == "__main__":
    sys.exit(main())
