"""The table printed by the full-dashboard benchmark: statements, sizes, closed- and open-loop
throughput per worker count."""

from __future__ import annotations

from typing import Any


def table(report: dict[str, Any]) -> str:
    """The figures as a text table: with the file's section, then before it."""
    parts = [_table(report, "", "with « Mon dossier » and « Mes actions »")]
    if "sql_before_file" in report:
        parts.append(_table(report, "_before_file", "before them (issue 5's query)"))
    return "\n\n".join(parts)


def _table(report: dict[str, Any], suffix: str, what: str) -> str:
    sql = report[f"sql{suffix}"]
    lines = [
        f"Full dashboard query {what}, PostgreSQL, {report['candidats']:,} candidats "
        f"(load at start {report['load_at_start'][0]:.2f})",
        f"SQL statements per request: {sql['distinct_counts']} (target <= {sql['target']}), "
        f"over {len(sql['samples'])} candidats",
        f"{'workers':>8} {'closed rps':>11} {'closed p99':>11} {'open rate':>10} "
        f"{'achieved':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}",
    ]
    for workers in (1, 2):
        entry = report.get(f"workers_{workers}{suffix}")
        if entry is None:
            continue
        closed = entry["closed_loop"]
        for run in ("open_loop", "open_loop_below_saturation"):
            opened = entry[run]
            lines.append(
                f"{workers:>8} {closed['rps']:>11} {closed['p99_ms']:>11} "
                f"{opened['offered_rps']:>10} {opened['achieved_rps']:>9} "
                f"{opened['p50_ms']!s:>9} {opened['p99_ms']!s:>9} {opened['errors']:>7}"
            )
    return "\n".join(lines)
