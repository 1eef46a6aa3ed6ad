"""Tests for imbalance_kit.datasets.xray (phantoms, MedMNIST files) and XrayDataset."""

import subprocess
import sys

import numpy as np
import pytest
from scipy import ndimage
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import roc_auc_score

from imbalance_kit.datasets import load_medmnist, make_xray
from imbalance_kit.datasets import xray


# --------------------------------------------------------------------------
# make_xray: shapes, counts, determinism
# --------------------------------------------------------------------------
@pytest.mark.parametrize("finding", ["nodule", "pneumothorax"])
def test_shapes_dtypes_and_range(finding):
    images, labels = make_xray(40, prevalence=0.25, finding=finding, size=48, random_state=1)
    assert images.shape == (40, 48, 48) and images.dtype == np.float32
    assert labels.shape == (40,) and labels.dtype == np.int64
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert set(np.unique(labels)) == {0, 1}
    # A chest film, not noise: dark lungs on brighter tissue, black corners.
    assert 0.2 < images.mean() < 0.6


def test_benchmark_call():
    # The call the benchmark makes.
    images, labels = make_xray(n_samples=300, prevalence=0.05, size=64, random_state=0)
    assert images.shape == (300, 64, 64) and labels.sum() == 15


@pytest.mark.parametrize(
    "n, prevalence, expected",
    [(200, 0.05, 10), (101, 0.5, 51), (10, 0.05, 1), (7, 0.01, 0), (1, 0.9, 1), (999, 0.999, 998)],
)
def test_exact_positive_count_rounded_half_up(n, prevalence, expected):
    _, labels = make_xray(n, prevalence=prevalence, size=32, random_state=0)
    assert labels.sum() == expected == int(np.floor(prevalence * n + 0.5))


def test_positives_are_shuffled():
    _, labels = make_xray(400, prevalence=0.1, size=32, random_state=0)
    positions = np.flatnonzero(labels)
    assert len(positions) == 40
    assert not np.array_equal(positions, np.arange(40))
    assert not np.array_equal(positions, np.arange(360, 400))


def test_deterministic_for_a_seed_and_different_across_seeds():
    a, ya = make_xray(30, prevalence=0.2, size=32, random_state=7)
    b, yb = make_xray(30, prevalence=0.2, size=32, random_state=7)
    c, yc = make_xray(30, prevalence=0.2, size=32, random_state=8)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    assert np.abs(a - c).mean() > 0.01
    assert not np.array_equal(ya, yc)
    g1, _ = make_xray(5, size=32, random_state=np.random.default_rng(3))
    g2, _ = make_xray(5, size=32, random_state=np.random.default_rng(3))
    np.testing.assert_array_equal(g1, g2)


def test_images_differ_from_each_other():
    # Random pose, anatomy and exposure: no two phantoms are alike.
    images, _ = make_xray(20, size=32, random_state=0)
    flat = images.reshape(20, -1)
    dist = np.abs(flat[:, None] - flat[None]).mean(axis=2)
    assert dist[~np.eye(20, dtype=bool)].min() > 0.01


def test_many_images_in_several_chunks_match_masks():
    # 700 images at 64 px span two render chunks; masks line up with images.
    images, labels, masks = make_xray(700, prevalence=0.5, size=64, random_state=2,
                                      return_masks=True)
    assert set(masks) == {"lung", "finding", "distractor"}
    for m in masks.values():
        assert m.shape == images.shape and m.dtype == bool
    has_finding = masks["finding"].any(axis=(1, 2))
    np.testing.assert_array_equal(has_finding, labels == 1)
    # Lungs are dark: the lung field is darker than the rest of the image.
    lung_mean = images[masks["lung"]].mean()
    assert lung_mean < images[~masks["lung"]].mean() - 0.1


def test_radiological_convention_heart_on_screen_right():
    # The heart hides part of the screen-right lung, so that lung's visible
    # field is smaller than the screen-left one.
    _, _, masks = make_xray(50, size=64, random_state=0, return_masks=True)
    left = masks["lung"][:, :, :32].sum(axis=(1, 2))
    right = masks["lung"][:, :, 32:].sum(axis=(1, 2))
    assert (right < left).mean() > 0.9


# --------------------------------------------------------------------------
# make_xray: the finding is where it should be
# --------------------------------------------------------------------------
def _pair(finding, **kw):
    """Same phantoms with and without the finding (contrast 0), no noise."""
    common = dict(prevalence=0.5, finding=finding, size=64, noise=0.0, random_state=5)
    common.update(kw)
    on, labels, masks = make_xray(120, return_masks=True, **common)
    off, labels_off = make_xray(120, contrast=0.0, **common)
    np.testing.assert_array_equal(labels, labels_off)
    return on, off, labels, masks


@pytest.mark.parametrize("finding", ["nodule", "pneumothorax"])
def test_finding_changes_only_positives_and_only_at_the_finding(finding):
    on, off, labels, masks = _pair(finding)
    diff = np.abs(on - off)
    neg, pos = labels == 0, labels == 1
    assert diff[neg].max() == 0.0
    assert (diff[pos].max(axis=(1, 2)) > 0.04).all()
    assert not masks["finding"][neg].any()
    # Nearly all the change lies on the finding (grown by the blur).
    near = ndimage.binary_dilation(masks["finding"], structure=np.ones((1, 5, 5), bool))
    share = (diff * near).sum(axis=(1, 2))[pos] / diff.sum(axis=(1, 2))[pos]
    assert share.min() > 0.95


def test_nodule_lies_inside_the_lung_field():
    on, off, labels, masks = _pair("nodule")
    pos = labels == 1
    finding, lung = masks["finding"][pos], masks["lung"][pos]
    assert finding.any(axis=(1, 2)).all()
    assert not (finding & ~lung).any()
    # Radius 2-4 px at 64 px: area between ~pi*2^2 and ~pi*4^2 pixels.
    area = finding.sum(axis=(1, 2))
    assert area.min() >= 8 and area.max() <= 60
    # It is a bright spot: brighter than without it.
    assert ((on - off)[pos][finding] > 0).mean() > 0.99


def test_nodule_scales_with_image_size():
    areas = {}
    for size in (64, 128):
        _, labels, masks = make_xray(60, prevalence=0.5, size=size, random_state=3,
                                     return_masks=True)
        areas[size] = np.median(masks["finding"].sum(axis=(1, 2))[labels == 1])
    assert 3.0 < areas[128] / areas[64] < 5.0


def test_pneumothorax_is_a_crescent_at_the_lateral_or_apical_lung_edge():
    on, off, labels, masks = _pair("pneumothorax")
    for i in np.flatnonzero(labels):
        finding, lung = masks["finding"][i], masks["lung"][i]
        assert finding.any() and not (finding & ~lung).any()
        # It touches the lung's outline: distance to the outside <= 1.5 px.
        inside = ndimage.distance_transform_edt(lung)
        assert inside[finding].min() <= 1.5
        # And it is a thin rim, not a blob in the middle of the lung.
        assert inside[finding].max() <= 8
        # Lateral or apical: further from the midline, or higher, than the
        # lung it belongs to.
        parts, _ = ndimage.label(lung)
        part = parts == np.bincount(parts[finding]).argmax()
        fy, fx = np.argwhere(finding).mean(axis=0)
        ly, lx = np.argwhere(part).mean(axis=0)
        assert abs(fx - 31.5) > abs(lx - 31.5) or fy < ly - 3
    # It is darker on average (air without lung tissue).
    pos = labels == 1
    assert (on - off)[pos][masks["finding"][pos]].mean() < -0.02


def test_pneumothorax_region_is_free_of_lung_markings():
    rng = np.random.default_rng(0)
    params = xray._draw_params(rng, np.ones(40, dtype=np.int64), "pneumothorax", 0.0)
    kw = dict(noise=0.0, clutter=1.0, want_masks=True, want_layers=True)
    on = xray._render(params, 64, np.random.default_rng(1), contrast=1.0, **kw)
    off = xray._render(params, 64, np.random.default_rng(1), contrast=0.0, **kw)
    region = on["finding"]
    assert region.sum() > 40 * 20
    before = off["markings"][region].mean()
    after = on["markings"][region].mean()
    assert before > 0.05
    assert after < 0.15 * before
    # Where the crescent is complete, no marking at all is left.
    assert on["markings"][on["crescent"] >= 1.0].max() == 0.0
    # Elsewhere in the lungs (away from the crescent's thin tails along the
    # outline) the markings are untouched.
    box = np.ones((1, 5, 5), bool)
    rest = ndimage.binary_erosion(on["lung"], box) & ~ndimage.binary_dilation(region, box)
    np.testing.assert_allclose(on["markings"][rest], off["markings"][rest])


# --------------------------------------------------------------------------
# make_xray: distractors and the other knobs
# --------------------------------------------------------------------------
@pytest.mark.parametrize("finding", ["nodule", "pneumothorax"])
def test_distractors_lie_outside_the_lungs_in_both_classes(finding):
    images, labels, masks = make_xray(400, prevalence=0.5, finding=finding, size=64,
                                      distractors=1.5, random_state=4, return_masks=True)
    dis = masks["distractor"]
    assert not (dis & masks["lung"]).any()
    with_spot = dis.any(axis=(1, 2))
    # Poisson(1.5): 1 - exp(-1.5) = 78 % of images have at least one spot.
    for cls in (0, 1):
        assert 0.65 < with_spot[labels == cls].mean() < 0.9
    _, _, none = make_xray(50, size=64, random_state=4, return_masks=True)
    assert not none["distractor"].any()


def test_distractors_add_spots_to_the_same_phantoms():
    common = dict(prevalence=0.3, size=64, noise=0.0, random_state=6)
    plain, labels = make_xray(80, **common)
    spotted, labels2, masks = make_xray(80, distractors=1.0, return_masks=True, **common)
    np.testing.assert_array_equal(labels, labels2)
    diff = spotted - plain
    # A spot's soft edge reaches 1.7 radii (<= 7 px), then the blur.
    near = ndimage.binary_dilation(masks["distractor"], np.ones((1, 11, 11), bool))
    assert np.abs(diff[~near]).max() < 1e-6
    assert (diff[masks["distractor"]] > 0).mean() > 0.99


def test_noise_knob_sets_the_noise_level():
    clean, _ = make_xray(20, size=64, noise=0.0, random_state=2)
    noisy, _ = make_xray(20, size=64, noise=0.05, random_state=2)
    # Away from the clipping bounds the difference is the added noise.
    mid = (clean > 0.15) & (clean < 0.85)
    assert abs((noisy - clean)[mid].std() - 0.05) < 0.005


def test_clutter_knob_controls_ribs_and_markings():
    kw = dict(size=64, noise=0.0, random_state=2, return_masks=True)
    busy, _, masks = make_xray(30, clutter=1.0, **kw)
    clean, _, _ = make_xray(30, clutter=0.0, **kw)
    lung = ndimage.binary_erosion(masks["lung"], np.ones((1, 5, 5), bool))
    # Fine structure inside the lungs: local deviation from a smoothed image.
    def texture(img):
        return np.abs(img - ndimage.uniform_filter(img, (1, 5, 5)))[lung].mean()
    assert texture(busy) > 2.0 * texture(clean)


def test_a_linear_model_learns_something_but_not_everything():
    # Pixels of a 32 px image, each image standardised: a ridge classifier
    # finds the rare bright spot in the lungs only partly (AUC ~0.75), and
    # nothing when contrast is 0.
    def auc(contrast):
        images, labels = make_xray(2000, prevalence=0.3, size=32, contrast=contrast,
                                   random_state=1)
        X = images.reshape(len(images), -1)
        X = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
        model = RidgeClassifier(alpha=100.0).fit(X[:1500], labels[:1500])
        return roc_auc_score(labels[1500:], model.decision_function(X[1500:]))

    assert 0.6 < auc(1.0) < 0.99
    assert abs(auc(0.0) - 0.5) < 0.1


def test_minimum_size_works():
    images, labels, masks = make_xray(30, prevalence=0.5, size=32, random_state=0,
                                      return_masks=True)
    assert images.shape == (30, 32, 32)
    assert masks["finding"][labels == 1].any(axis=(1, 2)).all()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_samples=0), "n_samples"),
        (dict(n_samples=2.5), "n_samples"),
        (dict(prevalence=0.0), "prevalence"),
        (dict(prevalence=1.0), "prevalence"),
        (dict(prevalence=-0.1), "prevalence"),
        (dict(prevalence="0.1"), "prevalence"),
        (dict(finding="effusion"), "finding"),
        (dict(size=31), "size"),
        (dict(size=64.0), "size"),
        (dict(contrast=-1.0), "contrast"),
        (dict(noise=-0.01), "noise"),
        (dict(clutter=-1), "clutter"),
        (dict(distractors=-0.5), "distractors"),
        (dict(distractors=float("nan")), "distractors"),
        (dict(distractors=float("inf")), "distractors must be finite"),
        (dict(contrast=float("inf")), "contrast must be finite"),
        (dict(random_state=-1), "random_state"),
        (dict(random_state="seed"), "random_state"),
    ],
)
def test_make_xray_rejects_bad_input_naming_the_parameter(kwargs, match):
    args = dict(n_samples=10)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        make_xray(**args)


def test_generator_does_not_import_torch():
    code = (
        "import sys; from imbalance_kit.datasets import make_xray, load_medmnist; "
        "make_xray(3, size=32); assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------
# load_medmnist
# --------------------------------------------------------------------------
def _write_npz(path, *, shape=(28, 28), n=(6, 3, 4), label_cols=1, drop=(), **override):
    rng = np.random.default_rng(0)
    arrays = {}
    for split, size in zip(("train", "val", "test"), n):
        arrays[f"{split}_images"] = rng.integers(0, 256, (size, *shape), dtype=np.uint8)
        arrays[f"{split}_labels"] = rng.integers(0, 2, (size, label_cols)).astype(np.uint8)
    arrays.update(override)
    for key in drop:
        del arrays[key]
    np.savez(path, **arrays)
    return path, arrays


def test_load_medmnist_grey_binary(tmp_path):
    path, arrays = _write_npz(tmp_path / "pneumoniamnist.npz")
    images, labels = load_medmnist(path)
    assert images.shape == (6, 28, 28) and images.dtype == np.float32
    assert labels.shape == (6,) and labels.dtype == np.int64
    np.testing.assert_allclose(images, arrays["train_images"] / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(labels, arrays["train_labels"][:, 0])
    assert 0.0 <= images.min() and images.max() <= 1.0
    raw, _ = load_medmnist(str(path), split="test", as_float=False)
    np.testing.assert_array_equal(raw, arrays["test_images"])
    assert raw.dtype == np.uint8


def test_load_medmnist_colour(tmp_path):
    path, arrays = _write_npz(tmp_path / "bloodmnist.npz", shape=(28, 28, 3))
    images, labels = load_medmnist(path, split="val")
    assert images.shape == (3, 28, 28, 3) and labels.shape == (3,)
    np.testing.assert_allclose(images, arrays["val_images"] / 255.0, rtol=1e-6)


def test_load_medmnist_multilabel_keeps_2d(tmp_path):
    path, arrays = _write_npz(tmp_path / "chestmnist.npz", label_cols=14)
    images, labels = load_medmnist(path, split="all")
    assert images.shape == (13, 28, 28)
    assert labels.shape == (13, 14) and labels.dtype == np.int64
    expected = np.concatenate([arrays[f"{s}_labels"] for s in ("train", "val", "test")])
    np.testing.assert_array_equal(labels, expected)
    np.testing.assert_allclose(images[6:9], arrays["val_images"] / 255.0, rtol=1e-6)


def test_load_medmnist_single_channel_axis_is_dropped(tmp_path):
    path, _ = _write_npz(tmp_path / "x.npz", shape=(28, 28, 1))
    images, _ = load_medmnist(path)
    assert images.shape == (6, 28, 28)


def test_load_medmnist_needs_only_the_requested_split(tmp_path):
    path, _ = _write_npz(tmp_path / "x.npz", drop=("val_images", "val_labels"))
    images, _ = load_medmnist(path, split="test")
    assert len(images) == 4
    with pytest.raises(ValueError, match=r"lacks the key\(s\) \['val_images', 'val_labels'\]"):
        load_medmnist(path, split="all")


def test_load_medmnist_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="not an existing file"):
        load_medmnist(tmp_path / "missing.npz")
    with pytest.raises(FileNotFoundError, match="not an existing file"):
        load_medmnist(tmp_path)  # a directory
    with pytest.raises(ValueError, match="path must be a file path"):
        load_medmnist(42)
    text = tmp_path / "notes.npz"
    text.write_text("not an archive")
    with pytest.raises(ValueError, match="not an .npz archive"):
        load_medmnist(text)
    npy = tmp_path / "array.npy"
    np.save(npy, np.zeros(3))
    with pytest.raises(ValueError, match="not an .npz archive"):
        load_medmnist(npy)
    path, _ = _write_npz(tmp_path / "ok.npz")
    with pytest.raises(ValueError, match="split must be one of"):
        load_medmnist(path, split="validation")
    with pytest.raises(ValueError, match="as_float"):
        load_medmnist(path, as_float="yes")


@pytest.mark.parametrize(
    "override, match",
    [
        (dict(train_images=np.zeros((6, 28, 28), np.float32)),
         "train_images must have dtype uint8"),
        (dict(train_images=np.zeros((6, 784), np.uint8)), r"train_images must have shape .*ndim 2"),
        (dict(train_images=np.zeros((6, 28, 28, 2), np.uint8)), r"train_images must have shape"),
        (dict(train_labels=np.zeros((6, 1), np.float64)), "train_labels must hold integers"),
        (dict(train_labels=np.zeros((6, 1), bool)), "train_labels must hold integers"),
        (dict(train_labels=np.zeros((6, 1, 1), np.int64)),
         r"train_labels must have shape .*ndim 3"),
        (dict(train_labels=np.zeros((5, 1), np.int64)), "6 images but train_labels holds 5"),
        (dict(val_images=np.zeros((3, 32, 32), np.uint8)), "different shapes"),
        (dict(val_labels=np.zeros((3, 2), np.int64)), "different numbers of columns"),
    ],
)
def test_load_medmnist_rejects_bad_arrays(tmp_path, override, match):
    path, _ = _write_npz(tmp_path / "bad.npz", **override)
    with pytest.raises(ValueError, match=match):
        load_medmnist(path, split="all")


def test_load_medmnist_rejects_object_arrays(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, train_images=np.array([None, 1], dtype=object),
             train_labels=np.zeros((2, 1), np.int64))
    with pytest.raises(ValueError, match="could not be read"):
        load_medmnist(path)


# --------------------------------------------------------------------------
# XrayDataset (torch)
# --------------------------------------------------------------------------
def test_xray_dataset_grey_phantoms():
    torch = pytest.importorskip("torch")
    from imbalance_kit.datasets import XrayDataset

    images, labels = make_xray(12, prevalence=0.25, size=32, random_state=0)
    ds = XrayDataset(images, labels)
    assert len(ds) == 12
    x, y = ds[3]
    assert x.shape == (1, 32, 32) and x.dtype == torch.float32
    assert y.dtype == torch.int64 and y.shape == () and int(y) == labels[3]
    np.testing.assert_array_equal(x[0].numpy(), images[3])
    np.testing.assert_array_equal(ds.labels, labels)
    loader = torch.utils.data.DataLoader(ds, batch_size=5)
    xb, yb = next(iter(loader))
    assert xb.shape == (5, 1, 32, 32) and yb.shape == (5,)
    assert "XrayDataset(n=12" in repr(ds)


def test_xray_dataset_colour_uint8_and_multilabel():
    torch = pytest.importorskip("torch")
    from imbalance_kit.datasets.xray import XrayDataset

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (4, 28, 30, 3), dtype=np.uint8)
    labels = rng.integers(0, 2, (4, 14))
    ds = XrayDataset(images, labels)
    x, y = ds[2]
    assert x.shape == (3, 28, 30) and x.dtype == torch.float32
    # Channel c of the tensor is channel c of the array, scaled to [0, 1].
    np.testing.assert_allclose(x[1].numpy(), images[2, :, :, 1] / 255.0, rtol=1e-6)
    assert y.shape == (14,) and y.dtype == torch.int64
    np.testing.assert_array_equal(y.numpy(), labels[2])


def test_xray_dataset_applies_transform():
    torch = pytest.importorskip("torch")
    from imbalance_kit.datasets import XrayDataset

    images, labels = make_xray(4, size=32, random_state=0)
    ds = XrayDataset(images, labels, transform=lambda t: torch.flip(t, dims=[2]))
    x, _ = ds[0]
    np.testing.assert_array_equal(x[0].numpy(), images[0][:, ::-1])


def test_xray_dataset_validates():
    pytest.importorskip("torch")
    from imbalance_kit.datasets import XrayDataset

    images = np.zeros((5, 8, 8), np.float32)
    with pytest.raises(ValueError, match="same length: images has 5, labels has 4"):
        XrayDataset(images, np.zeros(4, int))
    with pytest.raises(ValueError, match="images must have shape"):
        XrayDataset(np.zeros((5, 64)), np.zeros(5, int))
    with pytest.raises(ValueError, match="images must have shape"):
        XrayDataset(np.zeros((5, 8, 8, 2)), np.zeros(5, int))
    with pytest.raises(ValueError, match="images must be float or uint8"):
        XrayDataset(np.zeros((5, 8, 8), dtype=object), np.zeros(5, int))
    with pytest.raises(ValueError, match="labels must have shape"):
        XrayDataset(images, np.zeros((5, 1, 1), int))
    with pytest.raises(ValueError, match="labels must hold integers"):
        XrayDataset(images, np.full(5, 0.5))
    with pytest.raises(ValueError, match="transform must be callable"):
        XrayDataset(images, np.zeros(5, int), transform="flip")
    with pytest.raises(ValueError, match="images must be an array; got nested sequences"):
        XrayDataset([np.zeros((8, 8)), np.zeros((4, 4))], np.zeros(2, int))
    with pytest.raises(ValueError, match="labels must be an array; got nested sequences"):
        XrayDataset(images[:2], [[0, 1], [1]])
