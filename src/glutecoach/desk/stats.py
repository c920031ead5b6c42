"""``desk stats`` output: a table, a small terminal chart, and an optional PNG (matplotlib)."""

from __future__ import annotations

from pathlib import Path

from glutecoach.core.sedentary import PeriodMetrics

BAR = "█"
HALF = "▌"


def _hm(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


def table(rows: list[PeriodMetrics]) -> str:
    header = (
        f"{'period':<10} {'sitting':>7} {'bouts':>5} {'breaks':>6} {'confirmed':>9} "
        f"{'probable':>8} {'br/h':>5} "
        f"{'mean':>5} {'longest':>7} {'>=30min':>7} {'skipped':>7} {'standing':>8} {'micro':>5}"
    )
    lines = [header, "-" * len(header)]
    # confirmed: the person said so (Done, "yes" on return); probable: an idle gap or a lock
    for m in rows:
        lines.append(
            f"{m.period:<10} {_hm(m.sitting_s):>7} {m.bouts:>5} {m.breaks:>6} "
            f"{m.confirmed_breaks:>9} {m.probable_breaks:>8} "
            f"{m.breaks_per_sedentary_hour:>5.1f} {round(m.mean_bout_s / 60):>4}m "
            f"{round(m.longest_bout_s / 60):>6}m {_hm(m.long_bouts_s):>7} {m.skipped:>7} "
            f"{_hm(m.standing_s):>8} {m.micro_exercises:>5}"
        )
    return "\n".join(lines)


def chart(rows: list[PeriodMetrics], width: int = 40) -> str:
    """Sitting time per period as bars; the part in bouts of 30 min or more drawn darker."""
    longest = max((m.sitting_s for m in rows), default=0.0)
    if longest <= 0:
        return "(no sitting recorded in this period)"
    lines = []
    for m in rows:
        total = round(m.sitting_s / longest * width * 2)
        long_part = round(m.long_bouts_s / longest * width * 2)
        bar = "▓" * (long_part // 2) + BAR * ((total - long_part) // 2)
        if total % 2:
            bar += HALF
        lines.append(f"{m.period:<10} {bar} {_hm(m.sitting_s)}")
    lines.append(f"{'':<10} ▓ in bouts >= 30 min   {BAR} other sitting")
    return "\n".join(lines)


def plot(days: list[PeriodMetrics], path: Path) -> Path:
    """Write a PNG: sitting per day split by bout length, with breaks per sedentary hour."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [m.period[5:] for m in days]
    long_h = [m.long_bouts_s / 3600 for m in days]
    short_h = [(m.sitting_s - m.long_bouts_s) / 3600 for m in days]
    fig, ax = plt.subplots(figsize=(max(6, len(days) * 0.6), 4))
    ax.bar(labels, long_h, label="in bouts ≥ 30 min", color="#b5452b")
    ax.bar(labels, short_h, bottom=long_h, label="other sitting", color="#e9a03b")
    ax.set_ylabel("hours seated (computer use)")
    ax.set_title("Sitting per day (SBRN 2017 terms)")
    rate = ax.twinx()
    rate.plot(labels, [m.breaks_per_sedentary_hour for m in days], "o-", color="#2b6cb5")
    rate.set_ylabel("breaks per sedentary hour", color="#2b6cb5")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
