"""Draw ``docs/images/xray_examples.png``: examples of the chest-X-ray phantoms.

Rows: normal images, nodules, pneumothoraces, and normal images with
look-alike distractor spots outside the lungs. The last column repeats the
first image of its row with outlines: lung field (cyan), finding (red),
distractors (yellow).

Run from the repository root::

    python docs/figures/make_xray_grid.py
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402  (a dependency of matplotlib)

from imbalance_kit.datasets import make_xray  # noqa: E402

SIZE = 64          # the size the lessons use
N_EXAMPLES = 5     # per row, plus one outlined copy
OUT = Path(__file__).resolve().parents[1] / "images" / "xray_examples.png"


def _examples(finding, label, distractors, seed):
    """First N_EXAMPLES images with the wanted label, and their masks."""
    images, labels, masks = make_xray(
        60, prevalence=0.5, finding=finding, size=SIZE,
        distractors=distractors, random_state=seed, return_masks=True,
    )
    keep = labels == label
    if distractors > 0:  # show images that do have a distractor
        keep &= masks["distractor"].any(axis=(1, 2))
    idx = np.flatnonzero(keep)[:N_EXAMPLES]
    return images[idx], {k: v[idx] for k, v in masks.items()}


def _outline(ax, image, masks):
    ax.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    for key, colour in (("lung", "cyan"), ("finding", "#ff2020"), ("distractor", "yellow")):
        if masks[key].any():
            ax.contour(masks[key].astype(float), levels=[0.5], colors=colour, linewidths=1.6)


def make_figure():
    rows = [
        ("normal", "nodule", 0, 0.0, 1),
        ("nodule", "nodule", 1, 0.0, 2),
        ("pneumothorax", "pneumothorax", 1, 0.0, 3),
        ("normal + distractors", "nodule", 0, 1.5, 4),
    ]
    fig, axes = plt.subplots(len(rows), N_EXAMPLES + 1, figsize=(9.0, 6.6))
    for r, (title, finding, label, distractors, seed) in enumerate(rows):
        images, masks = _examples(finding, label, distractors, seed)
        for c in range(N_EXAMPLES):
            axes[r, c].imshow(images[c], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        _outline(axes[r, -1], images[0], {k: v[0] for k, v in masks.items()})
        axes[r, 0].set_ylabel(title, fontsize=10)
    axes[0, -1].set_title("outlined", fontsize=10)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(
        f"make_xray phantoms ({SIZE}x{SIZE} px). Outlines: lung field (cyan), "
        "finding (red), distractor (yellow)",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.985), h_pad=0.3, w_pad=0.3)
    return fig


def save_small_png(fig, path):
    """Save as a 256-colour PNG: a third of the size of matplotlib's RGBA output."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    buf.seek(0)
    # Fast octree keeps the few saturated outline colours that median cut
    # would merge into the greys.
    image = Image.open(buf).convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args(argv)
    fig = make_figure()
    save_small_png(fig, args.out)
    plt.close(fig)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
