"""Goal labels off the lines: each goal label moves along its goal line to a place no line crosses.

Chart modules tag the goal line and its label with the gids below; `place_goal_labels` runs on
every finished chart (dgm.present.charts.figure.styled) and `label_collisions` lists what still crosses.
"""

from __future__ import annotations

GOAL_LABEL, GOAL_LINE = "goal-label", "goal-line"  # gids: the label is placed off the lines


def label_collisions(fig) -> list[str]:
    """Texts of goal labels whose box crosses a drawn line (empty when none does)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    return [
        a.get_text()
        for ax in fig.axes
        for a in ax.texts
        if a.get_gid() == GOAL_LABEL and _crosses_lines(a, ax, renderer)
    ]


def _crosses_lines(label, ax, renderer) -> bool:
    """Whether a text's box (padded by 1 pt) crosses any line of its axes, or leaves the axes."""
    box = label.get_window_extent(renderer).padded(renderer.points_to_pixels(1.0))
    area = ax.get_window_extent(renderer)
    if not (area.contains(box.x0, box.y0) and area.contains(box.x1, box.y1)):
        return True
    for line in ax.lines:
        if line.get_gid() == GOAL_LINE or len(line.get_xdata()) < 2:
            continue
        path = line.get_transform().transform_path(line.get_path())
        if path.intersects_bbox(box, filled=False):
            return True
    return False


def place_goal_labels(fig):
    """Move each goal label to the first place along its goal line (above, then below, from the
    goal year back towards the start) where its box crosses no line; the chart keeps its
    first place when no such spot exists."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    labels = [(ax, a) for ax in fig.axes for a in ax.texts if a.get_gid() == GOAL_LABEL]
    if not labels:
        return fig
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    for ax, label in labels:
        end, v = label.xy
        x0 = ax.get_xlim()[0]
        first = (label.xy, label.xyann, label.get_ha(), label.get_va())
        for frac in (1.0, 0.8, 0.6, 0.4, 0.2):
            x = x0 + (end - x0) * frac
            for dy, va in ((4, "bottom"), (-4, "top")):
                label.xy, label.xyann = (x, v), (-4, dy)
                label.set_ha("right")
                label.set_va(va)
                if not _crosses_lines(label, ax, renderer):
                    break
            else:
                continue
            break
        else:
            label.xy, label.xyann = first[0], first[1]
            label.set_ha(first[2])
            label.set_va(first[3])
    return fig
