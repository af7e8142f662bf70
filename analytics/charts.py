"""Charts as server-rendered SVG: geometry computed here, drawn by templates/analytics/_*.html with classes from
static/css/analytics.css (no script, no inline style: the CSP forbids both)."""

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 240, 48, 28, 12


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(value)


def grouped_bars(rows: list[dict], keys: list[tuple[str, str]], label) -> dict:
    """Vertical bars, one group per row and one bar per key: {"width", "height", "groups", "ticks", "legend"}."""
    top = _nice_max(max((row[key] for row in rows for key, _l in keys), default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(rows), 1)
    bar = max(slot * 0.8 / len(keys), 1)
    groups = []
    for i, row in enumerate(rows):
        x0 = LEFT + i * slot + slot * 0.1
        bars = []
        for j, (key, name) in enumerate(keys):
            h = plot_h * row[key] / top if top else 0
            bars.append({"x": round(x0 + j * bar, 1), "y": round(TOP + plot_h - h, 1), "w": round(bar, 1),
                         "h": round(h, 1), "series": j, "title": f"{label(row)} · {name}: {row[key]}"})  # fmt: skip
        show = len(rows) <= 12 or i % max(len(rows) // 12, 1) == 0
        groups.append({"bars": bars, "label": label(row) if show else "", "lx": round(x0 + slot * 0.4, 1)})
    ticks = [{"y": round(TOP + plot_h - plot_h * f, 1), "value": int(top * f)} for f in (0, 0.2, 0.4, 0.6, 0.8, 1)]
    return {"width": WIDTH, "height": HEIGHT, "groups": groups, "ticks": ticks, "left": LEFT, "right": WIDTH - 8,
            "axis_y": TOP + plot_h, "label_y": HEIGHT - 8, "legend": [name for _k, name in keys]}  # fmt: skip


def horizontal_bars(rows: list[dict], value_key: str, label_key: str) -> dict:
    """One horizontal bar per row (funnel, channels, achievements)."""
    top = max((row[value_key] for row in rows), default=0) or 1
    label_w, bar_h, gap = 200, 22, 8
    plot_w = WIDTH - label_w - 60
    bars = []
    for i, row in enumerate(rows):
        y = i * (bar_h + gap)
        w = plot_w * row[value_key] / top
        label = str(row[label_key])
        label = label if len(label) <= 32 else label[:31] + "…"
        bars.append({"y": y, "w": round(w, 1), "ty": y + bar_h * 0.7, "label": label,
                     "value": row[value_key], "vx": round(label_w + w + 6, 1)})  # fmt: skip
    return {"width": WIDTH, "height": max(len(rows) * (bar_h + gap), bar_h), "bars": bars, "bar_h": bar_h,
            "x": label_w, "lx": label_w - 8}  # fmt: skip


def monthly_bars(monthly: list[dict]) -> dict:
    """Issued, claimed and shared per month (the analytics pages and the console's programme home). The year is
    written under January only (and in the range above the chart), so labels fit at phone width too."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    return grouped_bars(
        monthly,
        [("issued", _("Issued")), ("accepted", _("Claimed")), ("shared", _("Shared"))],
        lambda row: date_format(row["month"], "M Y" if row["month"].month == 1 else "M"),
    )
