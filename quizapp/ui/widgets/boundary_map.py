"""A decision boundary as a half-block heatmap with the data points on it (TensorFlow Playground style).

Each character cell is ``▀`` with the top pixel as foreground and the bottom pixel as background,
so a W × H widget shows W × 2H square-ish pixels. Background pixels are the model's probabilities
mixed from the class colours (faded towards the widget's background: pale where the model is unsure);
data points are drawn over them in the full class colour. The probability grid (``Boundary`` from the
trainer, any resolution) is resampled to the widget's size by nearest neighbour.

``boundary_pixels`` is the pure part (NumPy in, an (2H, W, 3) uint8 image out) and is what tests check.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget

# TensorFlow Playground's orange and blue for classes 0 and 1, then more for spiral / gauss. Regions
# are these colours faded into the background; points are a brighter tint so they stand out on
# the region of their own class (lighter on a dark background, darker on a light one).
CLASS_COLOURS = np.array([
    (245, 147, 34), (8, 119, 189), (76, 175, 80), (171, 71, 188), (255, 214, 0), (0, 188, 212),
], dtype=float)
POINT_LIFT = 0.35        # points: this far from the class colour towards white (or black)
REGION_STRENGTH = 0.45   # how much of the class colour a fully certain region shows


def class_colours(n: int) -> np.ndarray:
    return CLASS_COLOURS[np.arange(n) % len(CLASS_COLOURS)]


def point_colours(n: int, background: tuple[int, int, int] = (0, 0, 0)) -> np.ndarray:
    r, g, b = background
    target = 255.0 if 0.299 * r + 0.587 * g + 0.114 * b < 128 else 0.0
    return class_colours(n) + POINT_LIFT * (target - class_colours(n))


def fit(bounds: tuple[float, float, float, float], width: int, rows: int) -> tuple[int, int]:
    """The largest (pixel width, pixel rows) inside width × rows with the data's aspect ratio
    (half-block pixels are about square)."""
    x0, x1, y0, y1 = bounds
    aspect = max(x1 - x0, 1e-12) / max(y1 - y0, 1e-12)
    if width >= rows * aspect:
        return max(1, min(width, round(rows * aspect))), rows
    return width, max(1, min(rows, round(width / aspect)))


def boundary_pixels(probs: Any, bounds: tuple[float, float, float, float], width: int, rows: int,
                    background: tuple[int, int, int], X: Any = None, y: Any = None) -> np.ndarray:
    """The (rows, width, 3) uint8 image: probabilities as faded class colours, points on top, the
    map centred at the data's aspect ratio on ``background``.

    ``probs``: (G, G) P(class 1) or (G, G, k) class probabilities, row j at the j-th *lowest* y.
    ``bounds``: (x_min, x_max, y_min, y_max) of the grid. Row 0 of the image is the top (highest y).
    """
    img = np.empty((rows, width, 3))
    img[:] = background
    pw, ph = fit(bounds, width, rows)
    left, top = (width - pw) // 2, (rows - ph) // 2
    img[top:top + ph, left:left + pw] = _map(probs, bounds, pw, ph, background, X, y)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def _map(probs: Any, bounds: tuple[float, float, float, float], width: int, rows: int,
         background: tuple[int, int, int], X: Any, y: Any) -> np.ndarray:
    probs = np.asarray(probs, dtype=float)
    if probs.ndim == 3 and probs.shape[-1] == 1:
        probs = probs[..., 0]
    if probs.ndim == 2:
        probs = np.stack([1.0 - probs, probs], axis=-1)
    probs = np.nan_to_num(probs, nan=1.0 / probs.shape[-1])
    gy, gx, k = probs.shape
    cols = np.minimum((np.arange(width) + 0.5) * gx / width, gx - 1).astype(int)
    rws = np.minimum((np.arange(rows) + 0.5) * gy / rows, gy - 1).astype(int)[::-1]
    p = probs[rws][:, cols]                                  # (rows, width, k)
    mixed = p @ class_colours(k)                             # expected class colour
    # Certainty: 0 when every class is equally likely, 1 when one class has it all.
    certainty = (p.max(axis=-1) - 1.0 / k) / (1.0 - 1.0 / k)
    alpha = (REGION_STRENGTH * np.clip(certainty, 0, 1))[..., None]
    img = (1 - alpha) * np.asarray(background, dtype=float) + alpha * mixed
    if X is not None and y is not None and len(X):
        X = np.asarray(X, dtype=float)
        labels = np.asarray(y, dtype=int)
        x0, x1, y0, y1 = bounds
        px = np.floor((X[:, 0] - x0) / max(x1 - x0, 1e-12) * width).astype(int)
        py = np.floor((y1 - X[:, 1]) / max(y1 - y0, 1e-12) * rows).astype(int)
        inside = (px >= 0) & (px < width) & (py >= 0) & (py < rows)
        colours = point_colours(max(k, int(labels.max()) + 1), background)
        img[py[inside], px[inside]] = colours[labels[inside]]
    return img


def _strips(img: np.ndarray) -> list[Strip]:
    """Two image rows per line: ``▀`` in the top pixel's colour on the bottom pixel's colour."""
    if img.shape[0] % 2:
        img = np.concatenate([img, img[-1:]], axis=0)
    strips = []
    cache: dict[tuple, Style] = {}
    for r in range(0, img.shape[0], 2):
        segments = []
        for top, bottom in zip(img[r].tolist(), img[r + 1].tolist()):
            key = (*top, *bottom)
            style = cache.get(key)
            if style is None:
                style = cache[key] = Style(color=RichColor.from_rgb(*top),
                                           bgcolor=RichColor.from_rgb(*bottom))
            segments.append(Segment("▀", style))
        strips.append(Strip(Segment.simplify(segments), img.shape[1]))
    return strips


class BoundaryMap(Widget):
    """Shows the latest ``Boundary`` of one run with the training points (call ``show``)."""

    DEFAULT_CSS = """
    BoundaryMap {
        width: 1fr;
        height: 1fr;
        min-height: 3;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._boundary = None
        self._X = self._y = None
        self._cache: tuple[tuple, list[Strip]] | None = None

    def set_points(self, X: Any, y: Any) -> None:
        self._X, self._y = X, y
        self._cache = None
        self.refresh()

    def show(self, boundary: Any) -> None:
        """Draw ``boundary`` (the trainer's ``Boundary``: xs, ys, probs), or clear with None."""
        if boundary is self._boundary:
            return
        self._boundary = boundary
        self._cache = None
        self.refresh()

    def _background(self) -> tuple[int, int, int]:
        colour: Color = self.background_colors[1]
        return colour.rgb

    def _lines(self) -> list[Strip]:
        width, height = self.size
        key = (width, height, self._background())
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        b = self._boundary
        if b is None or width < 1 or height < 1:
            strips = []
        else:
            bounds = (float(b.xs[0]), float(b.xs[-1]), float(b.ys[0]), float(b.ys[-1]))
            img = boundary_pixels(b.probs, bounds, width, 2 * height, key[2], self._X, self._y)
            strips = _strips(img)
        self._cache = (key, strips)
        return strips

    def render_line(self, y: int) -> Strip:
        lines = self._lines()
        if y < len(lines):
            return lines[y]
        return Strip.blank(self.size.width, self.rich_style)

    def notify_style_update(self) -> None:
        self._cache = None
        super().notify_style_update()
