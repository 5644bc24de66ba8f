"""Kill rate per module of the last `mutmut run`, from mutants/<path>.meta (issue 11).

Prints killed/total for each mutated file and overall, and exits 1 when a module (or the
whole) is below the bar (90 %, or --min). A mutant counts as killed when a test failed
(or timed out: the mutant made the code loop); survivors, mutants no test reaches and
any not yet checked count against the rate. Usage:

    python tools/mutation_report.py [--min 90] [--survivors] [mutants-dir]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# mutmut 3's exit codes for a mutant's test run (mutmut/stats.py): 1 and 3 are a failing
# test, and a timeout (36, or SIGXCPU: 24, -24, 152, 255) means the mutant never finished.
KILLED = {1, 3}
TIMEOUT = {36, 24, -24, 152, 255}
NAMES = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


def read(mutants: Path) -> dict[str, dict[str, int | None]]:
    """Exit code by mutant name, for each mutated source file (relative path)."""
    found = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            found[str(meta.relative_to(mutants))[:-len(".meta")]] = codes
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mutants", nargs="?", default="mutants", type=Path)
    parser.add_argument("--min", type=float, default=90.0, help="lowest kill rate in percent")
    parser.add_argument("--survivors", action="store_true", help="list the mutants not killed")
    args = parser.parse_args(argv)
    results = read(args.mutants)
    if not results:
        print(f"no mutation results under {args.mutants}/: run `make mutate` first", file=sys.stderr)
        return 2
    failing = []
    all_killed = all_total = 0
    width = max(len(path) for path in results)
    for path, codes in results.items():
        killed = sum(1 for code in codes.values() if code in KILLED or code in TIMEOUT)
        total = len(codes)
        rate = 100.0 * killed / total
        all_killed += killed
        all_total += total
        flag = "" if rate >= args.min else f"  below {args.min:g} %"
        print(f"{path:<{width}}  {killed:>4}/{total:<4} killed  {rate:5.1f} %{flag}")
        if flag:
            failing.append(path)
        if args.survivors:
            for name, code in sorted(codes.items()):
                if not (code in KILLED or code in TIMEOUT):
                    print(f"    {NAMES.get(code, f'exit {code}')}: {name}")
    rate = 100.0 * all_killed / all_total
    print(f"{'all':<{width}}  {all_killed:>4}/{all_total:<4} killed  {rate:5.1f} %")
    if rate < args.min and "all" not in failing:
        failing.append("all")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
