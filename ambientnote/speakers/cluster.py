"""Grouping voice prints into speakers: k-means with the number of voices chosen by silhouette.

A consultation has two to four voices; trying k = 2..4 and keeping the
clustering with the best silhouette is cheap (a few hundred utterances) and
needs no threshold tuned per microphone. When even the best split is poor the
recording is taken to hold one voice (a dictation).
"""

from __future__ import annotations

import numpy as np

MAX_SPEAKERS = 4
MIN_SILHOUETTE = 0.2
PITCH_WEIGHT = 3.0  # speaking pitch separates voices better than any single cepstral statistic
CLIP = 3.0  # standardised features beyond this many spreads are outliers, not a voice
ROBUST_FROM = 8  # fewer reliable prints than this are scaled by mean and deviation (live, early on)
MIN_SHARE = 0.1  # a third or fourth voice must say at least this share of the reliable utterances (and 2 of them)


def _standardise(prints: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """Each feature centred and scaled on the reliable prints (``fit``) by median and MAD, then clipped.

    A short "yeah" or a word Whisper cut in half gives an outlying print (a
    pitch an octave off); scaled by the plain standard deviation, those few
    inflate the spread and become clusters of their own, while two voices
    alike in pitch melt into one. Robust scaling and clipping keep them in
    their place.
    """
    data = prints.copy()
    pitch = data[:, -2]
    pitch[np.isnan(pitch)] = np.nanmedian(pitch) if np.isfinite(pitch).any() else 0.0
    if fit.sum() < ROBUST_FROM:  # the first seconds of a live recording: too few prints for a median spread
        mean, std = data.mean(axis=0), data.std(axis=0)
        data = (data - mean) / np.where(std > 1e-9, std, 1.0)
        data[:, -2] *= PITCH_WEIGHT
        return data
    centre = np.median(data[fit], axis=0)
    spread = 1.4826 * np.median(np.abs(data[fit] - centre), axis=0)
    spread = np.where(spread > 1e-9, spread, data[fit].std(axis=0))
    data = np.clip((data - centre) / np.where(spread > 1e-9, spread, 1.0), -CLIP, CLIP)
    data[:, -2] *= PITCH_WEIGHT
    return data


def _kmeans(data: np.ndarray, k: int, seed: int, iters: int = 50) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = [data[rng.integers(len(data))]]
    for _ in range(1, k):  # k-means++ seeding
        dist = np.min(((data[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
        total = dist.sum()
        centres.append(data[rng.choice(len(data), p=dist / total)] if total > 0 else data[rng.integers(len(data))])
    centre_arr = np.array(centres)
    labels = np.zeros(len(data), dtype=int)
    for _ in range(iters):
        labels = ((data[:, None, :] - centre_arr[None]) ** 2).sum(-1).argmin(axis=1)
        new = np.array([data[labels == j].mean(axis=0) if (labels == j).any() else centre_arr[j] for j in range(k)])
        if np.allclose(new, centre_arr):
            break
        centre_arr = new
    return labels, centre_arr


def _silhouette(data: np.ndarray, labels: np.ndarray) -> float:
    dist = np.sqrt(((data[:, None, :] - data[None]) ** 2).sum(-1))
    scores = []
    for i in range(len(data)):
        same = labels == labels[i]
        if same.sum() <= 1:
            scores.append(0.0)
            continue
        a = dist[i, same].sum() / (same.sum() - 1)
        b = min(dist[i, labels == j].mean() for j in set(labels.tolist()) if j != labels[i])
        scores.append((b - a) / max(a, b, 1e-12))
    return float(np.mean(scores))


def cluster_voices(prints: np.ndarray, reliable: np.ndarray | None = None,
                   floor: float = MIN_SILHOUETTE) -> np.ndarray:
    """Speaker label (0, 1, …; 0 speaks first) for each row of ``prints``.

    ``reliable`` marks the prints long enough to shape the clusters; the rest
    are only assigned to the nearest one. A best split scoring under ``floor``
    is taken for one voice.
    """
    n = len(prints)
    if n < 3:
        return np.zeros(n, dtype=int)
    mask = reliable if reliable is not None and reliable.sum() >= 3 else np.ones(n, dtype=bool)
    data = _standardise(prints, mask)
    fit = data[mask]
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, min(MAX_SPEAKERS, len(fit) - 1) + 1):
        labels, centres = min(
            (_kmeans(fit, k, seed) for seed in range(4)),
            key=lambda lc: ((fit - lc[1][lc[0]]) ** 2).sum(),
        )
        smallest = min(np.bincount(labels, minlength=k))
        if smallest < 1 or (k > 2 and smallest < max(2, MIN_SHARE * len(fit))):
            continue
        score = _silhouette(fit, labels)
        if best is None or score > best[0] + 0.02:  # prefer fewer voices unless clearly better
            best = (score, centres)
    if best is None or best[0] < floor:
        return np.zeros(n, dtype=int)
    labels = ((data[:, None, :] - best[1][None]) ** 2).sum(-1).argmin(axis=1)
    order = {old: new for new, old in enumerate(dict.fromkeys(labels.tolist()))}  # first speaker is 0
    return np.array([order[x] for x in labels.tolist()])
