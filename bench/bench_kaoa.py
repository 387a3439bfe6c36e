"""KAoA figures: next-steps agenda, invitation list, one child's checklist, one checklist write.

    .venv/bin/python bench/bench_kaoa.py [--families N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from elternlotse.app import create_store
from elternlotse.services.demo import fill_demo

DAY = date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = create_store(Path(tmp), "bench-passphrase", "Bench")
        try:
            fill_demo(services, families=args.families)
            children = len(services.checklists.all_infos())
            print(f"{args.families} families, {children} children")
            for weeks in (4, 12):
                start = time.perf_counter()
                agenda = services.agenda.next_steps(DAY, weeks)
                print(f"next-steps --weeks {weeks}: {time.perf_counter() - start:.2f} s, {agenda.item_count} items")
            event = services.events.add({"type": "family_cafe", "starts": "2026-11-26T16:30", "topics": ["pa"]})
            start = time.perf_counter()
            invited = services.events.invitations(event.id)
            print(f"event invitations: {time.perf_counter() - start:.2f} s, {len(invited)} families")
            row, _info = services.checklists.all_infos()[0]
            start = time.perf_counter()
            for _ in range(50):
                services.checklists.checklist(row.id, DAY)
            print(f"one child's checklist: {(time.perf_counter() - start) / 50 * 1000:.1f} ms")
            start = time.perf_counter()
            for i in range(50):
                services.checklists.set_item(row.id, "pa/pa-consent", ("done", "open")[i % 2])
            print(f"checklist set (one transaction): {(time.perf_counter() - start) / 50 * 1000:.1f} ms")
        finally:
            services.store.close()


if __name__ == "__main__":
    main()
